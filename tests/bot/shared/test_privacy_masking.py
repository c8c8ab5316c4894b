"""Masking on real customer sentences: secrets go, order numbers, prices, dates and phones stay."""

from __future__ import annotations

import pytest

from bot.shared.privacy_masking import CARD_MASK, IBAN_MASK, SECRET_MASK, mask_private


@pytest.mark.parametrize(
    "text",
    [
        "my card is 4111 1111 1111 1111 and it was declined",
        "card number 4111-1111-1111-1111 exp 12/27",
        "please charge 5555555555554444 instead",
        "amex 3782 822463 10005",
    ],
)
def test_card_numbers_that_pass_luhn_are_masked(text: str) -> None:
    masked = mask_private(text)
    assert CARD_MASK in masked
    assert "1111 1111" not in masked and "5555555555554444" not in masked and "822463" not in masked


@pytest.mark.parametrize(
    "text",
    [
        "refund it to DE89 3704 0044 0532 0130 00 please",
        "my iban is GB29NWBK60161331926819",
        "IBAN: fr1420041010050500013m02606",
    ],
)
def test_valid_ibans_are_masked(text: str) -> None:
    masked = mask_private(text)
    assert IBAN_MASK in masked
    assert "3704" not in masked and "NWBK" not in masked and "20041010" not in masked.lower()


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("my password is hunter2!", "hunter2"),
        ("Password: S3cret-pass", "S3cret-pass"),
        ("the pin is 4821", "4821"),
        ("CVV 123", "123"),
        ("security code: 987 thanks", "987"),
    ],
)
def test_typed_secrets_are_masked(text: str, gone: str) -> None:
    masked = mask_private(text)
    assert gone not in masked
    assert SECRET_MASK in masked


@pytest.mark.parametrize(
    "text",
    [
        "where is my order ORD-100123?",
        "it cost €1,299.00 and the other one 1299.99 EUR",
        "I paid 4111.11 on 2026-07-01",
        "call me on +49 170 1234567 or 020 7946 0958",
        "a card that fails luhn 4111 1111 1111 1112",
        "tracking 00340434161234567890 with DHL",
        "I forgot my password, can you reset it?",
        "my password is not working",
        "how do I change the pin?",
        "invoice INV-200045 for order ORD-100004",
        "DE89 is not an iban and neither is GB00 1234",
    ],
)
def test_ordinary_support_text_is_left_alone(text: str) -> None:
    assert mask_private(text) == text


def test_everything_around_a_secret_stays() -> None:
    masked = mask_private("order ORD-100001, card 4111111111111111, total 49.99")
    assert masked == f"order ORD-100001, card {CARD_MASK}, total 49.99"
