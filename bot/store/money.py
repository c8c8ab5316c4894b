"""Money as Decimal euros in the code and whole cents in the database, plus the shop's pricing rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

CENT = Decimal("0.01")
TAX_RATE = Decimal("0.20")
FREE_SHIPPING_FROM = Decimal("50.00")
SHIPPING_FEE = Decimal("4.99")


def to_cents(amount: Decimal) -> int:
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal


def totals_for(line_totals: Iterable[Decimal]) -> Totals:
    """Catalog prices are net: tax is added on goods and shipping; small baskets pay a flat shipping fee."""
    subtotal = sum(line_totals, Decimal("0.00")).quantize(CENT)
    shipping = Decimal("0.00") if subtotal >= FREE_SHIPPING_FROM else SHIPPING_FEE
    tax = ((subtotal + shipping) * TAX_RATE).quantize(CENT, rounding=ROUND_HALF_UP)
    return Totals(subtotal=subtotal, shipping=shipping, tax=tax, total=subtotal + shipping + tax)
