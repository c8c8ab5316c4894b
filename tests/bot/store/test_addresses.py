"""Shipping address plausibility."""

from __future__ import annotations

import pytest

from bot.store.addresses import MAX_ADDRESS_LENGTH, clean_address
from bot.store.errors import InvalidAddress


def test_a_plausible_address_is_kept_on_one_line() -> None:
    assert clean_address("  Lindenstrasse 12\n10115 Berlin\r\nGermany ") == ("Lindenstrasse 12, 10115 Berlin, Germany")


def test_unicode_letters_count_as_letters() -> None:
    assert clean_address("Große Straße 5, 80331 München") == "Große Straße 5, 80331 München"


@pytest.mark.parametrize(
    "address, complaint",
    [
        ("", "too short"),
        ("12 A St", "too short"),
        ("Somewhere over the rainbow", "house number"),
        ("12345 67890 111", "street"),
        ("Main Street 1\x00, 10115 Berlin", "cannot be printed"),
        ("Main Street 1\t, 10115 Berlin", "cannot be printed"),
        ("Main Street 1\u202e, 10115 Berlin", "cannot be printed"),
        ("Main Street 1, " + "B" * MAX_ADDRESS_LENGTH, "longer than"),
    ],
)
def test_implausible_addresses_are_refused_with_a_reason(address: str, complaint: str) -> None:
    with pytest.raises(InvalidAddress) as refused:
        clean_address(address)
    assert complaint in refused.value.reason


def test_non_text_is_refused() -> None:
    with pytest.raises(InvalidAddress):
        clean_address(None)  # type: ignore[arg-type]
