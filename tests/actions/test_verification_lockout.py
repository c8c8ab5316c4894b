"""Verification that cannot be farmed: failures count per order number, whatever conversation they come from."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Dict

from actions.orders import ActionShowOrderStatus
from actions.verification import ValidateOrderVerificationForm
from bot.demo.showcase import PROCESSING, SHIPPED
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from bot.store.verification_attempts import FAILURE_WINDOW, LOCKOUT, MAX_FAILURES, VerificationAttempts
from tests.actions.dialogue import Outcome, form_tracker, make_tracker, run

FORM = "order_verification_form"
WRONG_EMAIL = "someone.else@example.com"


class SteppingClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


async def _give_email(
    form: ValidateOrderVerificationForm,
    domain: Dict[str, Any],
    number: str,
    email: str,
    conversation: str,
    attempts: float = 0.0,
) -> Outcome:
    tracker = form_tracker(
        domain,
        FORM,
        {"email": email},
        slots={"order_number": number, "verification_attempts": attempts},
        requested_slot="email",
        sender_id=conversation,
    )
    return await run(form, tracker, domain)


async def _give_order_number(
    form: ValidateOrderVerificationForm, domain: Dict[str, Any], number: str, conversation: str
) -> Outcome:
    tracker = form_tracker(domain, FORM, {"order_number": number}, sender_id=conversation)
    return await run(form, tracker, domain)


async def _farm(
    form: ValidateOrderVerificationForm,
    clock: SteppingClock,
    domain: Dict[str, Any],
    number: str,
    failures: int = MAX_FAILURES,
) -> None:
    """Wrong emails from as many fresh conversations, each well inside its own limit of three."""
    for attempt in range(failures):
        await _give_email(form, domain, number, WRONG_EMAIL, f"fresh-conversation-{attempt}")
        clock.advance(timedelta(minutes=2))


def _form_ended(outcome: Outcome) -> bool:
    requested = [event for event in outcome.events if event.get("name") == "requested_slot"]
    return bool(requested) and requested[-1]["value"] is None


async def test_an_unknown_order_and_a_wrong_email_get_the_same_answer(
    context: StoreContext, domain: Dict[str, Any], repository: StoreRepository
) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    wrong_email = await _give_email(form, domain, SHIPPED.number, WRONG_EMAIL, "first")
    unknown_order = await _give_email(form, domain, "ORD-999999", SHIPPED.customer_email, "second")
    assert (
        wrong_email.messages
        == unknown_order.messages
        == [{**wrong_email.messages[0], "response": "utter_verification_mismatch"}]
    )
    assert (
        wrong_email.slots()
        == unknown_order.slots()
        == {
            "order_number": None,
            "email": None,
            "verification_attempts": 1.0,
        }
    )
    # Both counted, each for its own order number.
    attempts = VerificationAttempts(repository.engine, clock=clock)
    assert attempts.standing(SHIPPED.number).failed_attempts == 1
    assert attempts.standing("ORD-999999").failed_attempts == 1


async def test_failures_from_many_conversations_lock_the_order_number(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    await _farm(form, clock, domain, SHIPPED.number)

    outcome = await _give_order_number(form, domain, SHIPPED.number, "yet-another-conversation")

    assert outcome.slots()["verification_locked"] is True
    assert outcome.slots()["verified"] is False
    assert outcome.messages == []  # the order action that follows explains
    assert _form_ended(outcome)


async def test_the_fifth_failure_ends_the_form_at_once(context: StoreContext, domain: Dict[str, Any]) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    await _farm(form, clock, domain, SHIPPED.number, MAX_FAILURES - 1)

    outcome = await _give_email(form, domain, SHIPPED.number, WRONG_EMAIL, "the-fifth")

    assert outcome.slots()["verification_locked"] is True
    assert outcome.messages == []
    assert _form_ended(outcome)


async def test_even_the_right_email_is_not_checked_while_locked(context: StoreContext, domain: Dict[str, Any]) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    await _farm(form, clock, domain, SHIPPED.number)

    outcome = await _give_email(form, domain, SHIPPED.number, SHIPPED.customer_email, "owner")

    assert outcome.slots() == {"email": None, "verification_locked": True, "requested_slot": None}


async def test_the_lock_ends_after_the_lockout(context: StoreContext, domain: Dict[str, Any]) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    await _farm(form, clock, domain, SHIPPED.number)
    clock.advance(LOCKOUT)

    outcome = await _give_email(form, domain, SHIPPED.number, SHIPPED.customer_email, "owner")

    assert outcome.slots()["verified"] is True
    assert "verification_locked" not in outcome.slots()


async def test_failures_spread_over_more_than_the_window_do_not_lock(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    for attempt in range(MAX_FAILURES):
        await _give_email(form, domain, SHIPPED.number, WRONG_EMAIL, f"slow-{attempt}")
        clock.advance(FAILURE_WINDOW / (MAX_FAILURES - 1) + timedelta(seconds=1))

    outcome = await _give_order_number(form, domain, SHIPPED.number, "owner")

    assert "verification_locked" not in outcome.slots()
    assert outcome.slots()["order_number"] == SHIPPED.number


async def test_an_unknown_order_number_is_locked_like_a_real_one(context: StoreContext, domain: Dict[str, Any]) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    await _farm(form, clock, domain, "ORD-999999")

    outcome = await _give_order_number(form, domain, "ORD-999999", "prober")

    assert outcome.slots()["verification_locked"] is True


async def test_a_lock_on_one_order_leaves_others_alone(context: StoreContext, domain: Dict[str, Any]) -> None:
    clock = SteppingClock()
    form = ValidateOrderVerificationForm(replace(context, clock=clock))
    await _farm(form, clock, domain, SHIPPED.number)

    outcome = await _give_email(form, domain, PROCESSING.number, PROCESSING.customer_email, "tom")

    assert outcome.slots()["verified"] is True


async def test_a_locked_order_is_explained_and_handed_to_a_person(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    tracker = make_tracker(domain, slots={"order_number": SHIPPED.number, "verification_locked": True})

    outcome = await run(ActionShowOrderStatus(context), tracker, domain)

    assert outcome.responses == ["utter_verification_locked"]
    assert outcome.slots()["handoff_reason"] == "verification_failed"
    assert outcome.slots()["verification_locked"] is False
    assert outcome.followup() == "action_handoff"
