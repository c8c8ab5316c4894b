"""Masks card numbers, IBANs, CVCs and typed passwords in customer text before it is stored or shown.

Candidates are found by bounded regular expressions (linear work on any input) and then checked with
python-stdnum: a card number must pass the Luhn check and start like a payment card, an IBAN must have
a valid country format and check digits. So order numbers (ORD-100123), prices, dates and phone
numbers, which fail those checks or are too short, stay readable.
"""

from __future__ import annotations

import re
from typing import Match, Optional

from stdnum import iban, luhn

CARD_MASK = "[card number removed]"
IBAN_MASK = "[IBAN removed]"
SECRET_MASK = "[removed]"

# 13 to 19 digits, single spaces or dashes between them, not inside a longer number or word
_CARD = re.compile(r"(?<![\w+\-])(?:\d[ \-]?){12,18}\d(?![\w\-])")
# card numbers start with 2-6 (Mastercard 2/5, Amex 3, Visa 4, Discover/UnionPay 6); phones often with 0 or 1
_CARD_FIRST_DIGITS = frozenset("23456")
# two letters, two check digits, then 11 to 30 letters or digits: written in fours split by single spaces
# (as printed on statements) or in one run
_IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?![\w])")
# "my password is hunter2", "password: x", "the PIN is 1234", "cvv 123": the word after the keyword
_SECRET = re.compile(
    r"(?i)\b(?P<lead>(?:password|passwort|passcode|passphrase|pwd|pin(?: code)?|cvv|cvc|cvv2|security code)"
    r"(?:\s{1,5}(?:is|was|=|:)\s{1,5}|\s{0,5}[:=]\s{0,5}|\s{1,5}))(?P<secret>[^\s,;]{1,100})"
)
# a keyword followed by one of these is talk about the secret, not the secret itself
_NOT_SECRETS = frozenset(
    {"reset", "forgot", "change", "changed", "wrong", "incorrect", "not", "expired", "doesn't", "does", "isn't"}
    | {"for", "to", "the", "my", "a", "and", "or", "please", "help", "again", "?"}
)


def _card(match: Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and digits[0] in _CARD_FIRST_DIGITS and luhn.is_valid(digits):
        return CARD_MASK
    return match.group(0)


def _iban(match: Match[str]) -> str:
    candidate = match.group(0)
    return IBAN_MASK if iban.is_valid(candidate) else candidate


def _secret(match: Match[str]) -> str:
    secret = match.group("secret")
    if secret.lower().rstrip(".!?") in _NOT_SECRETS or not secret.rstrip(".!?"):
        return match.group(0)
    return match.group("lead") + SECRET_MASK


def mask_private(text: str) -> str:
    """The text with every card number, IBAN and typed secret replaced by a placeholder."""
    if not text:
        return text
    text = _CARD.sub(_card, text)
    text = _IBAN.sub(_iban, text)
    return _SECRET.sub(_secret, text)


def mask_optional(text: Optional[str]) -> Optional[str]:
    return None if text is None else mask_private(text)
