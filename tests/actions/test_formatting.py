"""Money, dates and lists as customers read them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from actions.formatting import add_business_days, day, enumeration, money, words


def test_money_has_a_symbol_thousands_and_cents() -> None:
    assert money(Decimal("1299.5"), "EUR") == "€1,299.50"
    assert money(Decimal("0.005"), "gbp") == "£0.01"
    assert money(Decimal("12"), "CHF") == "CHF 12.00"


def test_days_are_written_out() -> None:
    assert day(date(2026, 11, 2)) == "2 November 2026"
    assert day(datetime(2026, 1, 31, 23, 0, tzinfo=timezone.utc)) == "31 January 2026"


def test_business_days_skip_weekends() -> None:
    friday = date(2026, 11, 20)
    assert add_business_days(friday, 1) == date(2026, 11, 23)
    assert add_business_days(friday, 5) == date(2026, 11, 27)


def test_lists_and_status_words() -> None:
    assert enumeration(["a", "b", "c"]) == "a, b and c"
    assert enumeration(["a"]) == "a"
    assert enumeration([]) == ""
    assert words("out_for_delivery") == "out for delivery"
