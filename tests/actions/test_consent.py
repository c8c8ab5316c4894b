"""What counts as the customer's consent to a change: a clear yes, to that very question, by the right sender."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from actions.consent import CANCEL, RETURN, NoConsent, asked, missing_consent
from tests.actions.dialogue import Outcome, replying, user_message, verified_for

ORDER = "ORD-100003"
OWNER = "lena.fischer@example.com"
SLOTS = verified_for(ORDER, OWNER)


def question(awaiting: str = "return_confirmation", order_number: str = ORDER) -> Outcome:
    return Outcome(events=asked(awaiting, order_number), messages=[])


@pytest.mark.parametrize(
    "text",
    ["yes", "/affirm", "sí", "vale", "claro", "oui", "d'accord", "ja", "genau", "in Ordnung"],
)
def test_a_clear_yes_in_any_language_right_after_the_question_is_consent(domain: Dict[str, Any], text: str) -> None:
    tracker = replying(domain, question(), SLOTS, user_message(text, "affirm"))
    assert missing_consent(tracker, RETURN, ORDER) is None


@pytest.mark.parametrize(
    "message",
    [
        user_message("this is ridiculous, I want my money back now", "request_refund"),
        user_message("quiero mi dinero ya, esto es una vergüenza", "request_refund"),
        user_message("c'est une blague", "complaint"),
        user_message("ihr seid doch unfähig", "complaint"),
        user_message("you are useless", "complaint"),
        user_message("no", "deny"),
        user_message("whatever", "affirm", confidence=0.66),
        user_message("???", "nlu_fallback", confidence=0.55),
        user_message(""),
    ],
)
def test_anything_but_a_clear_yes_is_no_consent(domain: Dict[str, Any], message: Dict[str, Any]) -> None:
    tracker = replying(domain, question(), SLOTS, message)
    assert missing_consent(tracker, RETURN, ORDER) is NoConsent.NOT_A_YES


def test_a_yes_to_the_question_about_another_order_is_no_consent(domain: Dict[str, Any]) -> None:
    tracker = replying(domain, question(order_number="ORD-100004"), SLOTS, user_message("yes", "affirm"))
    assert missing_consent(tracker, RETURN, ORDER) is NoConsent.NOT_ASKED


def test_a_yes_to_another_change_is_no_consent(domain: Dict[str, Any]) -> None:
    tracker = replying(domain, question("cancel_confirmation"), SLOTS, user_message("yes", "affirm"))
    assert missing_consent(tracker, RETURN, ORDER) is NoConsent.NOT_ASKED
    assert missing_consent(tracker, CANCEL, ORDER) is None


def test_a_yes_after_another_turn_no_longer_answers_the_question(domain: Dict[str, Any]) -> None:
    tracker = replying(domain, question(), SLOTS, user_message("yes", "affirm"), turns_between=1)
    assert tracker.get_slot("awaiting") == "return_confirmation"  # the slot alone would still say so
    assert missing_consent(tracker, RETURN, ORDER) is NoConsent.NOT_ASKED


def test_a_yes_with_no_question_before_it_is_no_consent(domain: Dict[str, Any]) -> None:
    nothing_asked = Outcome(events=[], messages=[])
    tracker = replying(
        domain, nothing_asked, {**SLOTS, "awaiting": "return_confirmation"}, user_message("yes", "affirm")
    )
    assert missing_consent(tracker, RETURN, ORDER) is NoConsent.NOT_ASKED


def test_the_offer_of_a_return_instead_of_a_cancellation_is_a_question_about_the_return(
    domain: Dict[str, Any],
) -> None:
    tracker = replying(domain, question("return_offer"), SLOTS, user_message("yes", "affirm"))
    assert missing_consent(tracker, RETURN, ORDER) is None
    assert missing_consent(tracker, CANCEL, ORDER) is NoConsent.NOT_ASKED


def _mail(author: Any) -> Dict[str, Any]:
    metadata = {"channel": "email", "email_sender": OWNER}
    if author is not None:
        metadata["email_from"] = author
    return user_message("1", "affirm", metadata=metadata)


def test_by_email_a_yes_from_the_orders_address_is_consent(domain: Dict[str, Any]) -> None:
    tracker = replying(domain, question(), SLOTS, _mail(" Lena.Fischer@Example.com"), input_channel="email")
    assert missing_consent(tracker, RETURN, ORDER) is None


@pytest.mark.parametrize("author", ["someone@elsewhere.example", None, "not an address"])
def test_by_email_a_yes_from_any_other_address_is_no_consent(domain: Dict[str, Any], author: Any) -> None:
    tracker = replying(domain, question(), SLOTS, _mail(author), input_channel="email")
    assert missing_consent(tracker, RETURN, ORDER) is NoConsent.WRONG_SENDER


def test_an_email_author_in_the_metadata_of_another_channel_is_ignored(domain: Dict[str, Any]) -> None:
    tracker = replying(domain, question(), SLOTS, _mail("someone@elsewhere.example"), input_channel="rest")
    assert missing_consent(tracker, RETURN, ORDER) is None
