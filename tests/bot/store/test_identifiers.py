"""Order number normalisation and email comparison."""
from __future__ import annotations

import pytest

from actions.store.identifiers import (
    invoice_number_for,
    is_plausible_email,
    normalise_email,
    normalise_order_number,
    order_number_for,
    refund_number_for,
    return_number_for,
)


@pytest.mark.parametrize(
    "typed",
    ["ORD-100123", "ord100123", "#100123", "100123", "ord 100123", " ORD-100123 ", "Ord_100123",
     "order 100123", "order number 100123", "# 100123", "ORD#100123", "ORD-100123\n"],
)
def test_typed_forms_become_the_canonical_number(typed: str) -> None:
    assert normalise_order_number(typed) == "ORD-100123"


@pytest.mark.parametrize(
    "typed",
    [None, "", "   ", "ORD-12345", "ORD-1234567", "10012", "1001234", "ORD-10012a", "INV-100123",
     "ORD--100123", "'; DROP TABLE orders; --", "100123; DROP TABLE orders", "ORD-100123 OR 1=1",
     "١٠٠١٢٣", "１００１２３", "ORD-1001\n23", "ORD-\x00100123", "x" * 10_000, "ORD-100123" * 3,
     "my order is 100123"],
)
def test_anything_else_is_not_an_order_number(typed: object) -> None:
    assert normalise_order_number(typed) is None  # type: ignore[arg-type]


def test_numbers_derived_from_ids_have_the_documented_formats() -> None:
    assert order_number_for(123) == "ORD-100123"
    assert invoice_number_for("ORD-100123") == "INV-100123"
    assert return_number_for(42) == "RMA-000042"
    assert refund_number_for(17) == "RF-000017"


def test_emails_compare_without_case_or_whitespace() -> None:
    assert normalise_email("  Maria.Keller@Example.COM \n") == "maria.keller@example.com"
    assert normalise_email(None) == ""
    assert normalise_email("   ") == ""


@pytest.mark.parametrize("email", ["maria.keller@example.com", " Tom@Example.org "])
def test_plausible_emails(email: str) -> None:
    assert is_plausible_email(email)


@pytest.mark.parametrize(
    "email", [None, "", "maria", "maria@", "@example.com", "maria@example", "a@b@c.com",
              "x" * 300 + "@example.com", "'; DROP TABLE customers; --"],
)
def test_implausible_emails(email: object) -> None:
    assert not is_plausible_email(email)  # type: ignore[arg-type]
