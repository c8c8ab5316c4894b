"""The catalog matches the architecture document and is internally consistent."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from bot.store.catalog import CURRENCY, PRODUCTS, iter_product_names, product_by_sku

ARCHITECTURE = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def _documented_names() -> set:
    section = ARCHITECTURE.read_text().split("## Catalog", 1)[1].split("\n## ", 1)[0]
    listing = section.split("built from it:", 1)[1]
    return {name.strip().rstrip(".") for name in listing.replace("\n", " ").split(",") if name.strip()}


def test_the_catalog_holds_exactly_the_documented_products() -> None:
    assert len(PRODUCTS) == 64
    assert {product.name for product in PRODUCTS} == _documented_names()


def test_skus_are_unique_and_well_formed() -> None:
    skus = [product.sku for product in PRODUCTS]
    assert len(set(skus)) == len(skus)
    assert all(re.fullmatch(r"[A-Z]{3}-[A-Z0-9]+", sku) for sku in skus)


def test_prices_features_and_cross_sell_are_usable() -> None:
    for product in PRODUCTS:
        assert isinstance(product.price, Decimal) and product.price > 0
        assert product.price == product.price.quantize(Decimal("0.01"))
        assert product.currency == CURRENCY
        assert 3 <= len(product.features) <= 4
        assert product.related_skus, product.sku
        for related in product.related_skus:
            assert related != product.sku
            assert product_by_sku(related) is not None, (product.sku, related)


def test_no_name_or_alias_points_at_two_products() -> None:
    owners = Counter(name for name, _ in iter_product_names())
    shared = [name for name, count in owners.items() if count > 1]
    assert shared == []


def test_aliases_are_lower_case_and_include_the_short_model_names() -> None:
    for product in PRODUCTS:
        assert all(alias == alias.lower() and alias.strip() == alias for alias in product.aliases)
    x200 = product_by_sku("aud-x200")
    assert x200 is not None
    assert {"x200", "aria x200", "x 200 headphones"} <= set(x200.names())
