"""Cents conversion and the pricing rules."""

from __future__ import annotations

from decimal import Decimal

from bot.store.money import SHIPPING_FEE, from_cents, to_cents, totals_for


def test_cents_round_trip() -> None:
    assert to_cents(Decimal("149.00")) == 14900
    assert to_cents(Decimal("0.005")) == 1
    assert from_cents(14900) == Decimal("149.00")


def test_small_baskets_pay_shipping_and_tax_is_added() -> None:
    totals = totals_for([Decimal("19.00"), Decimal("15.00")])
    assert totals.subtotal == Decimal("34.00")
    assert totals.shipping == SHIPPING_FEE
    assert totals.tax == Decimal("7.80")
    assert totals.total == Decimal("46.79")


def test_larger_baskets_ship_free() -> None:
    totals = totals_for([Decimal("149.00")])
    assert totals.shipping == Decimal("0.00")
    assert totals.total == Decimal("178.80")
