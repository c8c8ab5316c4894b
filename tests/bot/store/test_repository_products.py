"""Contract of product lookup and cross-sell over the store's products."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from bot.store.repository import StoreRepository
from bot.store.tables import products


@pytest.mark.parametrize(
    "query, sku",
    [
        ("aria x20 headphone", "AUD-X200"),
        ("vega p10 plsu", "PHN-P10PL"),
        ("orbit laptop 15", "LAP-O15"),
        ("Studio Soundbar 500", "AUD-SB500"),
        ("stu-dio sound bar", "AUD-SB500"),
    ],
)
def test_find_product_tolerates_misspellings(shared_store: StoreRepository, query: str, sku: str) -> None:
    product = shared_store.find_product(query)
    assert product is not None and product.sku == sku


def test_find_product_returns_price_stock_and_features(shared_store: StoreRepository) -> None:
    product = shared_store.find_product("x200")
    assert product is not None
    assert product.name == "Aria X200 Headphones"
    assert product.price == Decimal("149.00") and product.currency == "EUR"
    assert product.stock >= 0 and product.in_stock == (product.stock > 0)
    assert "active noise cancelling" in product.features


@pytest.mark.parametrize("query", ["blah", "'; DROP TABLE products; --", "", None, "🙂" * 500])
def test_find_product_returns_none_for_nonsense(shared_store: StoreRepository, query: str) -> None:
    assert shared_store.find_product(query) is None


def test_product_by_sku(shared_store: StoreRepository) -> None:
    assert shared_store.product_by_sku(" aud-x200 ").name == "Aria X200 Headphones"
    assert shared_store.product_by_sku("AUD-NOPE") is None
    assert shared_store.product_by_sku("") is None


def test_related_products_come_from_the_catalog(shared_store: StoreRepository) -> None:
    related = shared_store.related_products("PHN-P10PL")
    assert {product.sku for product in related} == {"ACC-CASEP10", "PWR-20W"}
    assert len(shared_store.related_products("PHN-P10PL", limit=1)) == 1
    assert shared_store.related_products("PHN-P10PL", limit=0) == []
    assert shared_store.related_products("UNKNOWN") == []
    assert shared_store.related_products(None) == []


def test_in_stock_suggestions_come_first(store: StoreRepository) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(products).where(products.c.sku == "ACC-CASEP10").values(stock=0))
        connection.execute(update(products).where(products.c.sku == "PWR-20W").values(stock=5))
    related = store.related_products("PHN-P10PL", limit=2)
    assert [product.sku for product in related] == ["PWR-20W", "ACC-CASEP10"]
    assert not related[1].in_stock
