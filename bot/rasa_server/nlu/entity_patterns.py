"""Entity ruler patterns: catalog product names and the identifier formats customers type."""
from __future__ import annotations

from typing import Dict, Iterable, List, Union

from actions.store.catalog import PRODUCTS, CatalogProduct

Pattern = Dict[str, Union[str, List[Dict[str, object]]]]

SIX_DIGITS = r"^\d{6}$"


def product_patterns(products: Iterable[CatalogProduct] = PRODUCTS) -> List[Pattern]:
    """Every name and alias of every product, matched case-insensitively, labelled with the SKU as id."""
    patterns: List[Pattern] = []
    for product in products:
        for name in dict.fromkeys(product.names()):
            patterns.append({"label": "product", "pattern": name, "id": product.sku})
    return patterns


def order_number_patterns() -> List[Pattern]:
    """`ORD-100123`, `ord100123`, `ord 100123`, `order #100123`, `#100123` and a bare `100123`."""
    token_shapes: List[List[Dict[str, object]]] = [
        [{"TEXT": {"REGEX": r"(?i)^ord-?\d{6}$"}}],
        [{"LOWER": {"IN": ["ord", "ord-"]}}, {"TEXT": {"REGEX": SIX_DIGITS}}],
        [{"ORTH": "#"}, {"TEXT": {"REGEX": SIX_DIGITS}}],
        [{"TEXT": {"REGEX": r"^#\d{6}$"}}],
        [{"TEXT": {"REGEX": SIX_DIGITS}}],
    ]
    return [{"label": "order_number", "pattern": shape} for shape in token_shapes]


def email_patterns() -> List[Pattern]:
    return [{"label": "email", "pattern": [{"LIKE_EMAIL": True}]}]


def all_patterns() -> List[Pattern]:
    return product_patterns() + order_number_patterns() + email_patterns()
