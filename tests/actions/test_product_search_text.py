"""Reading a product search out of what shoppers write, in English, Spanish, French and German."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import pytest

from actions.product_search_text import amount_of, read_product_search
from bot.store.product_kinds import ProductKind

K = ProductKind


@pytest.mark.parametrize(
    "text, kind, least, most",
    [
        ("headphones under 100", K.HEADPHONES, None, "100"),
        ("any headphones below €80?", K.HEADPHONES, None, "80"),
        ("hedphones under 50 pls", K.HEADPHONES, None, "50"),
        ("lapotp under 1000", K.LAPTOPS, None, "1000"),
        ("laptops between 800 and 1200", K.LAPTOPS, "800", "1200"),
        ("phones from 400 to 700", K.PHONES, "400", "700"),
        ("show me laptops over 1500", K.LAPTOPS, "1500", None),
        ("I can't spend more than 900 on a laptop", K.LAPTOPS, None, "900"),
        ("I have 300 euros to spend on a tablet", K.TABLETS, None, "300"),
        ("auriculares por menos de 100 euros", K.HEADPHONES, None, "100"),
        ("portátiles entre 800 y 1200 euros", K.LAPTOPS, "800", "1200"),
        ("mi presupuesto es de 1.000 euros para un portátil", K.LAPTOPS, None, "1000"),
        ("móviles de más de 600 euros", K.PHONES, "600", None),
        ("casque à moins de 100 euros", K.HEADPHONES, None, "100"),
        ("mon budget est de 1 000 euros pour un portable", K.LAPTOPS, None, "1000"),
        ("une montre avec gps, 200 euros maximum", K.WATCHES, None, "200"),
        ("Kopfhörer unter 100 Euro", K.HEADPHONES, None, "100"),
        ("Laptops zwischen 800 und 1200 Euro", K.LAPTOPS, "800", "1200"),
        ("ein Smartphone bis 400 €", K.PHONES, None, "400"),
        ("Kopfhörer < 90€?", K.HEADPHONES, None, "90"),
        ("a gaming keyboard under 150", K.KEYBOARDS, None, "150"),
    ],
)
def test_kind_and_price_limits(text: str, kind: ProductKind, least: Optional[str], most: Optional[str]) -> None:
    query = read_product_search(text).query
    assert query.kind is kind
    assert query.min_price == (Decimal(least) if least else None)
    assert query.max_price == (Decimal(most) if most else None)


@pytest.mark.parametrize(
    "text, kind, feature",
    [
        ("a laptop with 32 GB", K.LAPTOPS, "32 gb"),
        ("laptop with 32gb ram", K.LAPTOPS, "32 gb"),
        ("un portable avec 32 Go", K.LAPTOPS, "32 gb"),
        ("un portátil con 32 GB", K.LAPTOPS, "32 gb"),
        ("Handy mit 256 GB", K.PHONES, "256 gb"),
        ("un téléphone portable avec 256 go", K.PHONES, "256 gb"),
        ("auriculares con cancelación de ruido", K.HEADPHONES, "noise cancelling"),
        ("Kopfhörer mit Geräuschunterdrückung", K.HEADPHONES, "noise cancelling"),
        ("une enceinte étanche", K.SPEAKERS, "waterproof"),
    ],
)
def test_features(text: str, kind: ProductKind, feature: str) -> None:
    query = read_product_search(text).query
    assert query.kind is kind
    assert feature in query.feature
    assert query.max_price is None and query.min_price is None


@pytest.mark.parametrize(
    "text",
    [
        "something like the x200 but cheaper",
        "algo como el x200 pero más barato",
        "quelque chose comme le x200 mais moins cher",
        "so etwas wie der x200, aber günstiger",
    ],
)
def test_like_a_named_product_but_cheaper(text: str) -> None:
    start = text.index("x200")
    query = read_product_search(text, named_sku="AUD-X200", named_span=(start, start + 4)).query
    assert query.like_sku == "AUD-X200" and query.cheaper_than_like
    assert query.max_price is None


def test_a_named_product_without_a_comparison_is_no_reference() -> None:
    query = read_product_search("x200 headphones under 200", named_sku="AUD-X200", named_span=(0, 4)).query
    assert query.like_sku is None and query.max_price == Decimal("200")


@pytest.mark.parametrize(
    "text",
    [
        "where is ORD-100123",
        "order #100123 headphones",
        "headphones under 100123",
        "my order 100123 had the x200",
        "the vista 27 monitor",
        "is the orbit 15 any good",
    ],
)
def test_order_numbers_and_model_numbers_are_no_prices(text: str) -> None:
    query = read_product_search(text).query
    assert query.min_price is None and query.max_price is None


def test_order_number_beside_a_real_limit_leaves_the_limit() -> None:
    assert read_product_search("ORD-100123 arrived; now headphones under 100").query.max_price == Decimal("100")


@pytest.mark.parametrize(
    "written, amount",
    [
        ("100", "100"),
        ("100,50", "100.50"),
        ("100.50", "100.50"),
        ("1.299", "1299"),
        ("1,299", "1299"),
        ("1.299,50", "1299.50"),
        ("1,299.50", "1299.50"),
    ],
)
def test_amounts_in_every_writing(written: str, amount: str) -> None:
    assert amount_of(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["1.2.3", "12345.6789", "1,29,9"])
def test_amounts_that_are_no_amounts(written: str) -> None:
    assert amount_of(written) is None


@pytest.mark.parametrize("text, written", [("phones under $400", "400"), ("speakers under 50 pounds", "50")])
def test_another_currency_is_noted(text: str, written: str) -> None:
    read = read_product_search(text)
    assert read.foreign_amount == written
    assert read.query.max_price == Decimal(written)


def test_euros_are_not_noted() -> None:
    assert read_product_search("phones under 400 euros").foreign_amount is None


@pytest.mark.parametrize("text", ["", "hello", "x" * 100_000, "1" * 100_000, "under " * 10_000, "€" * 10_000])
def test_nothing_to_search_or_hostile_input_asks_for_nothing(text: str) -> None:
    assert not read_product_search(text).query.asks_anything
