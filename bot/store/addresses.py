"""Plausibility check for shipping addresses typed by customers."""

from __future__ import annotations

import re
import unicodedata

from bot.store.errors import InvalidAddress

MIN_ADDRESS_LENGTH = 10
MAX_ADDRESS_LENGTH = 200
# Whitespace around line breaks, matched only from the start of a run of spaces: `\s*(?:\r\n|\r|\n)+\s*`
# retried from every space of a long run without a line break, which took quadratic time.
_LINE_BREAKS = re.compile(r"(?<![^\S\r\n])[^\S\r\n]*[\r\n]\s*")
# Far more than any address, even one padded with spaces; longer text is refused before it is read.
MAX_TYPED_LENGTH = 2000
_SPACES = re.compile(r" {2,}")


def clean_address(text: str) -> str:
    """Return the address on one line, or raise InvalidAddress saying what is wrong with it."""
    if not isinstance(text, str):
        raise InvalidAddress("The address must be text.")
    if len(text) > MAX_TYPED_LENGTH:
        raise InvalidAddress(f"That address is longer than {MAX_ADDRESS_LENGTH} characters.")
    # Customers paste multi-line addresses; line breaks are the one control character we understand.
    one_line = _LINE_BREAKS.sub(", ", text.strip()).strip(" ,")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in one_line):
        raise InvalidAddress("The address contains characters that cannot be printed on a label.")
    one_line = _SPACES.sub(" ", one_line)
    if len(one_line) < MIN_ADDRESS_LENGTH:
        raise InvalidAddress("That address looks too short: please give street, number, postcode and city.")
    if len(one_line) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(f"That address is longer than {MAX_ADDRESS_LENGTH} characters.")
    if not any(char.isdigit() for char in one_line):
        raise InvalidAddress("The address needs a house number or postcode.")
    if not any(char.isalpha() for char in one_line):
        raise InvalidAddress("The address needs a street and a city name.")
    return one_line
