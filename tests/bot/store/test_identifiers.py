"""Order number normalisation and email comparison."""

from __future__ import annotations

from typing import Optional

import pytest
import yaml

from bot.shared.settings import PROJECT_ROOT
from bot.store.identifiers import (
    ORDER_NUMBER_WRITTEN,
    invoice_number_for,
    is_plausible_email,
    normalise_email,
    normalise_order_number,
    order_number_for,
    order_number_in_text,
    refund_number_for,
    return_number_for,
)


@pytest.mark.parametrize(
    "typed",
    [
        "ORD-100123",
        "ord100123",
        "#100123",
        "100123",
        "ord 100123",
        " ORD-100123 ",
        "Ord_100123",
        "order 100123",
        "order number 100123",
        "# 100123",
        "ORD#100123",
        "ORD-100123\n",
    ],
)
def test_typed_forms_become_the_canonical_number(typed: str) -> None:
    assert normalise_order_number(typed) == "ORD-100123"


@pytest.mark.parametrize(
    "typed",
    [
        None,
        "",
        "   ",
        "ORD-12345",
        "ORD-1234567",
        "10012",
        "1001234",
        "ORD-10012a",
        "INV-100123",
        "ORD--100123",
        "'; DROP TABLE orders; --",
        "100123; DROP TABLE orders",
        "ORD-100123 OR 1=1",
        "١٠٠١٢٣",
        "１００１２３",
        "ORD-1001\n23",
        "ORD-\x00100123",
        "x" * 10_000,
        "ORD-100123" * 3,
        "my order is 100123",
    ],
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
    "email",
    [
        None,
        "",
        "maria",
        "maria@",
        "@example.com",
        "maria@example",
        "a@b@c.com",
        "x" * 300 + "@example.com",
        "'; DROP TABLE customers; --",
    ],
)
def test_implausible_emails(email: object) -> None:
    assert not is_plausible_email(email)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my order is ORD-100123, thanks", "ORD-100123"),
        ("order #100123 please", "ORD-100123"),
        ("it's ord 100123", "ORD-100123"),
        ("#100123", "ORD-100123"),
        ("100123", "ORD-100123"),
        ("call me on 0123456789", None),
        ("x100123 and ORD-1001234", None),
        (None, None),
    ],
)
def test_an_order_number_is_found_inside_a_sentence(text: Optional[str], found: Optional[str]) -> None:
    assert order_number_in_text(text) == found


def test_what_is_typed_alone_is_also_found_in_a_sentence() -> None:
    for typed in ("ORD-100123", "ord100123", "order number 100123", "Ord_100123", "# 100123"):
        assert normalise_order_number(typed) == order_number_in_text(f"it is {typed}, thanks") == "ORD-100123"


def test_only_the_first_characters_are_read() -> None:
    assert order_number_in_text("x" * 500 + " ORD-100123") is None


def test_the_nlu_regex_is_the_code_grammar() -> None:
    # The training data cannot import the grammar, so it holds a copy that must not drift.
    entries = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / "lookups.yml").read_text(encoding="utf-8"))["nlu"]
    shape = next(entry for entry in entries if entry.get("regex") == "order_number_shape")
    assert [line[2:] for line in shape["examples"].splitlines()] == [ORDER_NUMBER_WRITTEN]
