"""Phone numbers for export and erasure: one number however it is written, found in free text with phonenumbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import phonenumbers


@dataclass(frozen=True)
class Phone:
    """A valid number in E.164 (`+491715550123`), and the region whose national spelling customers may use."""

    e164: str
    region: Optional[str]

    @property
    def digits(self) -> str:
        return self.e164.lstrip("+")

    @property
    def needle(self) -> str:
        """The last two digits: a cheap first filter in SQL, before a row's text is parsed for the number."""
        return self.digits[-2:]

    def mentioned_in(self, text: str) -> bool:
        """Whether the text holds this number, international (`+49 171 555 0123`) or national (`0171 5550123`)."""
        if _holds_digits(text, self.digits):
            return True  # as channels spell a sender (`whatsapp:+491715550123`)
        for match in phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.POSSIBLE):
            if phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164) == self.e164:
                return True
        return False


def _holds_digits(text: str, digits: str) -> bool:
    """`digits` in `text` with no digit right before or after it: a longer number is another number."""
    start = text.find(digits)
    while start != -1:
        end = start + len(digits)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if not before.isdigit() and not after.isdigit():
            return True
        start = text.find(digits, start + 1)
    return False


def parsed_phone(raw: str, region: Optional[str] = None) -> Phone:
    """Raises ValueError for anything but a valid number; without `region` it must start with + and the country."""
    try:
        number = phonenumbers.parse(raw.strip(), region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number ({error})") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, phonenumbers.region_code_for_number(number))
