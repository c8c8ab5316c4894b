"""A phone number is one number however it is written: normalised with phonenumbers, found in free text."""

from __future__ import annotations

import pytest

from bot.service.privacy.phone import parsed_phone

WHATSAPP_ID = "whatsapp:+491715550123"


def test_a_phone_number_is_one_number_however_it_is_written() -> None:
    phone = parsed_phone("0171 5550123", "de")

    assert phone.e164 == "+491715550123"
    assert all(phone.mentioned_in(said) for said in ("+49 (171) 555-01-23", "ruf 0171/5550123 an", WHATSAPP_ID))
    assert not phone.mentioned_in("ORD-171555 costs 123.00")
    assert not phone.mentioned_in("+49 171 5550124")
    assert not phone.mentioned_in("whatsapp:+4917155501234")  # a longer number is another customer's
    for wrong in ("5550123", "call me", "+49 1"):
        with pytest.raises(ValueError):
            parsed_phone(wrong)
