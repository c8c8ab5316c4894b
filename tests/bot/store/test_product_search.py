"""Product search by kind, feature and price, run on SQLite and PostgreSQL (the `store` fixtures)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from bot.store.product_kinds import ProductKind
from bot.store.product_query import ProductQuery
from bot.store.repository import StoreRepository
from bot.store.tables import products


def names(result) -> list:
    return [match.product.name for match in result.matches]


def test_headphones_under_a_price_come_dearest_first_within_budget(store: StoreRepository) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(products).values(stock=5))
    result = store.search_products(ProductQuery(kind=ProductKind.HEADPHONES, max_price=Decimal("100")))
    assert names(result) == ["Arcade Headset G5", "Aria Buds Mini"]
    assert all(match.product.price <= Decimal("100") for match in result.matches)
    assert result.matches[0].matching_feature == "7.1 surround sound"


def test_at_most_three_matches(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(ProductQuery(kind=ProductKind.AUDIO))
    assert len(result.matches) == 3


def test_a_feature_is_matched_and_named(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(ProductQuery(kind=ProductKind.LAPTOPS, feature=("32 gb",)))
    assert names(result) == ["Orbit 15 Pro"]
    assert result.matches[0].matching_feature == "32 gb memory"


def test_run_together_feature_wording_still_matches(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(ProductQuery(kind=ProductKind.PHONES, feature=("256GB",)))
    assert names(result) == ["Vega P10 Plus"]


def test_like_a_product_but_cheaper_keeps_its_kind_and_stays_below_its_price(store: StoreRepository) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(products).values(stock=5))
    result = store.search_products(ProductQuery(like_sku="AUD-X200", cheaper_than_like=True))
    assert names(result) == ["Arcade Headset G5", "Aria Buds Mini"]
    assert "Aria X200 Headphones" not in names(result)


def test_a_price_range_holds_both_bounds(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(
        ProductQuery(kind=ProductKind.LAPTOPS, min_price=Decimal("800"), max_price=Decimal("1200"))
    )
    assert sorted(names(result)) == ["Orbit 13 Laptop", "Orbit 15 Laptop", "Orbit Air 14"]


def test_without_a_ceiling_the_cheapest_comes_first(store: StoreRepository) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(products).values(stock=5))
    result = store.search_products(ProductQuery(kind=ProductKind.TABLETS))
    assert names(result) == ["Tessera T8 Tablet", "Tessera T11 Tablet", "Tessera T11 Pro"]


def test_products_in_stock_come_before_those_out_of_stock(store: StoreRepository) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(products).values(stock=5))
        connection.execute(update(products).where(products.c.sku == "TAB-T8").values(stock=0))
    result = store.search_products(ProductQuery(kind=ProductKind.TABLETS))
    assert names(result)[-1] == "Tessera T8 Tablet"


def test_nothing_within_the_price_offers_the_closest_in_price(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(ProductQuery(kind=ProductKind.LAPTOPS, max_price=Decimal("500")))
    assert result.matches == ()
    assert result.closest is not None and result.closest.product.name == "Orbit 13 Laptop"


def test_a_feature_nobody_has_offers_the_best_within_the_price(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(
        ProductQuery(kind=ProductKind.TABLETS, feature=("gps",), max_price=Decimal("300"))
    )
    assert result.matches == ()
    assert result.closest is not None and result.closest.product.name == "Tessera T8 Tablet"


def test_nothing_at_all_has_no_closest(shared_store: StoreRepository) -> None:
    result = shared_store.search_products(
        ProductQuery(kind=ProductKind.CABLES, feature=("gps",), max_price=Decimal("1"))
    )
    assert result.matches == () and result.closest is None


def test_an_unknown_like_product_finds_nothing(shared_store: StoreRepository) -> None:
    for sku in ("NOPE-1", "'; DROP TABLE products; --", "x" * 500):
        result = shared_store.search_products(ProductQuery(like_sku=sku, cheaper_than_like=True))
        assert result.matches == () and result.closest is None
    assert shared_store.find_product("x200") is not None
