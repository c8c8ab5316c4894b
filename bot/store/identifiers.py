"""Identifiers customers see (orders, invoices, returns, refunds) and how their typed forms are normalised."""

from __future__ import annotations

import re
from typing import Optional

ORDER_PREFIX = "ORD-"
INVOICE_PREFIX = "INV-"
RETURN_PREFIX = "RMA-"
REFUND_PREFIX = "RF-"

# The one order-number grammar: the store, the verification form, the spaCy entity ruler and the NLU regex
# in data/nlu/lookups.yml (checked by a test) all use it. Digits are spelled [0-9] because `\d` would also
# accept Arabic-Indic and other Unicode digits. Each optional part of the prefix carries its own trailing
# spaces, so a run of spaces is read one way only (three `\s*` in a row took cubic time on "ord" and a long
# run of spaces).
ORDER_DIGITS = "[0-9]{6}"
ORDER_NUMBER_PREFIX = r"(?:ord(?:er)?\s*(?:(?:no\.?|number)\s*)?(?:[-_#:.]\s*)?|#\s*)"
ORDER_NUMBER_TYPED = rf"(?i)^{ORDER_NUMBER_PREFIX}?({ORDER_DIGITS})$"
# Inside a sentence ("it's ORD-100123", "order #100123 please"), not glued to a word or a longer number.
ORDER_NUMBER_WRITTEN = rf"(?i)(?<!\w){ORDER_NUMBER_PREFIX}?({ORDER_DIGITS})(?!\w)"
_ORDER_NUMBER = re.compile(ORDER_NUMBER_TYPED)
ORDER_NUMBER_IN_TEXT = re.compile(ORDER_NUMBER_WRITTEN)
_MAX_TYPED_LENGTH = 40


def normalise_order_number(text: Optional[str]) -> Optional[str]:
    """`ORD-100123`, `ord100123`, `#100123`, `100123` or `ord 100123` -> `ORD-100123`; anything else -> None."""
    if not isinstance(text, str) or not text or len(text) > _MAX_TYPED_LENGTH:
        return None
    match = _ORDER_NUMBER.match(text.strip())
    if match is None:
        return None
    return f"{ORDER_PREFIX}{match.group(1)}"


def order_number_in_text(text: Optional[str], *, read: int = 500) -> Optional[str]:
    """The first order number written in the first `read` characters of `text`, as `ORD-123456`."""
    if not isinstance(text, str):
        return None
    match = ORDER_NUMBER_IN_TEXT.search(text[:read])
    return None if match is None else f"{ORDER_PREFIX}{match.group(1)}"


def order_number_for(order_id: int) -> str:
    return f"{ORDER_PREFIX}{100000 + order_id:06d}"


def invoice_number_for(order_number: str) -> str:
    """Invoices share the order's digits, so a customer can quote either."""
    return INVOICE_PREFIX + order_number[len(ORDER_PREFIX) :]


def return_number_for(return_id: int) -> str:
    return f"{RETURN_PREFIX}{return_id:06d}"


def refund_number_for(refund_id: int) -> str:
    return f"{REFUND_PREFIX}{refund_id:06d}"


def is_storable_text(text: str) -> bool:
    """False for text no database driver accepts: lone surrogates cannot be encoded, PostgreSQL refuses NUL."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def normalise_email(text: Optional[str]) -> str:
    """Emails compare case- and whitespace-insensitively; an empty string means no usable email."""
    if not text or not isinstance(text, str) or not is_storable_text(text):
        return ""
    return "".join(text.split()).casefold()


_PLAUSIBLE_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def is_plausible_email(text: Optional[str]) -> bool:
    email = normalise_email(text)
    return len(email) <= 254 and _PLAUSIBLE_EMAIL.match(email) is not None
