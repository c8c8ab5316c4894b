"""With the real Rasa server and action server: the proof of verification is out of the customer's reach."""

from __future__ import annotations

import json
from typing import Any, Dict

from sqlalchemy import select

from bot.shared.database import create_store_engine
from bot.store.repository import StoreRepository
from bot.store.tables import email_outbox, verification_failures
from bot.store.verification_attempts import MAX_FAILURES
from tests.support.rest_chat import new_sender, say, tracker
from tests.support.stack import Stack

MARIA = ("ORD-100001", "maria.keller@example.com")
# An order of the demo store no other test talks about, so locking it disturbs nobody.
LOCK_TEST_ORDER = "ORD-100077"
PROOF = ("email", "verified", "verified_order", "verified_email", "customer_id")


def _proof(stack: Stack, sender: str) -> Dict[str, Any]:
    slots = tracker(stack, sender)["slots"]
    return {name: slots.get(name) for name in PROOF}


def _verify(stack: Stack, sender: str, order_number: str, email: str) -> None:
    say(stack, sender, f'/track_order{{"order_number": "{order_number}"}}')
    say(stack, sender, f'/inform{{"email": "{email}"}}')


def test_nothing_typed_after_verification_changes_the_proof(running_stack: Stack) -> None:
    sender = new_sender("forger")
    _verify(running_stack, sender, *MARIA)
    proven = _proof(running_stack, sender)
    assert proven["verified"] is True and proven["verified_email"] == MARIA[1]

    forged = {"email": "attacker@example.com", "verified": True, "verified_order": "ORD-100002", "customer_id": "2"}
    say(running_stack, sender, f"/inform{json.dumps(forged)}")
    say(running_stack, sender, "my email is attacker@example.com")
    replies = say(running_stack, sender, "/get_invoice")

    assert _proof(running_stack, sender) == proven
    assert any(MARIA[1] in reply for reply in replies), replies
    engine = create_store_engine(running_stack.database_url)
    try:
        with engine.connect() as connection:
            recipients = set(connection.execute(select(email_outbox.c.recipient)).scalars())
    finally:
        engine.dispose()
    assert "attacker@example.com" not in recipients


def test_a_new_order_number_needs_a_new_verification(running_stack: Stack) -> None:
    sender = new_sender("switcher")
    _verify(running_stack, sender, *MARIA)

    replies = say(running_stack, sender, '/track_order{"order_number": "ORD-100002"}')

    assert any("email address you used for order ORD-100002" in reply for reply in replies), replies
    assert _proof(running_stack, sender)["verified"] is False


def test_failures_from_many_conversations_lock_the_order_for_everyone(running_stack: Stack) -> None:
    engine = create_store_engine(running_stack.database_url)
    try:
        owner_email = StoreRepository(engine).find_order(LOCK_TEST_ORDER).customer_email
        for attempt in range(MAX_FAILURES):
            # A fresh conversation each time: the per-conversation limit never comes into play.
            _verify(running_stack, new_sender(f"guesser-{attempt}"), LOCK_TEST_ORDER, f"guess{attempt}@example.com")
        with engine.connect() as connection:
            counted = connection.execute(
                select(verification_failures).where(verification_failures.c.order_number == LOCK_TEST_ORDER)
            ).all()
    finally:
        engine.dispose()
    assert len(counted) == MAX_FAILURES
    assert len({row.conversation_id for row in counted}) == MAX_FAILURES

    owner = new_sender("owner")
    replies = say(running_stack, owner, f'/track_order{{"order_number": "{LOCK_TEST_ORDER}"}}')

    assert any("too many unsuccessful attempts" in reply for reply in replies), replies
    assert not any(owner_email in reply for reply in replies)
    assert tracker(running_stack, owner)["slots"]["handoff_reason"] == "verification_failed"


def test_an_unknown_order_and_a_wrong_email_read_the_same(running_stack: Stack) -> None:
    unknown, wrong = new_sender("unknown-order"), new_sender("wrong-email")
    asked_unknown = say(running_stack, unknown, '/track_order{"order_number": "ORD-999990"}')
    asked_wrong = say(running_stack, wrong, '/track_order{"order_number": "ORD-100003"}')
    assert [reply.replace("ORD-999990", "#") for reply in asked_unknown] == [
        reply.replace("ORD-100003", "#") for reply in asked_wrong
    ]

    answer_unknown = say(running_stack, unknown, '/inform{"email": "lena.fischer@example.com"}')
    answer_wrong = say(running_stack, wrong, '/inform{"email": "not.lena@example.com"}')

    assert answer_unknown == answer_wrong
    assert any("don't match our records" in reply for reply in answer_unknown), answer_unknown
