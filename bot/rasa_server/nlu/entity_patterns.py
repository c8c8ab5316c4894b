"""Entity ruler patterns: catalog product names and the identifier formats customers type."""

from __future__ import annotations

from typing import Dict, Iterable, List, Union

from bot.store.catalog import PRODUCTS, CatalogProduct
from bot.store.identifiers import ORDER_DIGITS, ORDER_NUMBER_TYPED

Pattern = Dict[str, Union[str, List[Dict[str, object]]]]

# The store's grammar, applied to one token or to the digits after a prefix the tokenizer split off.
SIX_DIGITS = f"^{ORDER_DIGITS}$"


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
        [{"TEXT": {"REGEX": ORDER_NUMBER_TYPED}}],
        [{"LOWER": {"IN": ["ord", "ord-"]}}, {"TEXT": {"REGEX": SIX_DIGITS}}],
        [{"ORTH": "#"}, {"TEXT": {"REGEX": SIX_DIGITS}}],
    ]
    return [{"label": "order_number", "pattern": shape} for shape in token_shapes]


def email_patterns() -> List[Pattern]:
    return [{"label": "email", "pattern": [{"LIKE_EMAIL": True}]}]


def all_patterns() -> List[Pattern]:
    return product_patterns() + order_number_patterns() + email_patterns()
