"""Amounts, dates and lists written the way customers read them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Union

_CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
_CENT = Decimal("0.01")


def money(amount: Decimal, currency: str) -> str:
    """`Decimal("1299.5"), "EUR"` -> `€1,299.50`; unknown currencies keep their code: `CHF 12.00`."""
    value = f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}"
    symbol = _CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{value}" if symbol else f"{currency.upper()} {value}"


def day(moment: Union[date, datetime]) -> str:
    """`2026-11-02` -> `2 November 2026`."""
    return f"{moment.day} {moment:%B %Y}"


def add_business_days(start: date, days: int) -> date:
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def enumeration(parts: Iterable[str]) -> str:
    """`["a", "b", "c"]` -> `a, b and c`."""
    items = [part for part in parts if part]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def words(status_value: str) -> str:
    """Status values as words: `out_for_delivery` -> `out for delivery`."""
    return status_value.replace("_", " ")
