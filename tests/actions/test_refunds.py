"""Returns asked about first and opened only on a clear yes, inside and outside the window; the status of refunds."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from actions.billing import ActionCheckPayment
from actions.orders import ActionAskCancelConfirmation
from actions.refunds import ActionAskReturnConfirmation, ActionShowRefunds, ActionStartReturn, return_reason
from bot.demo.showcase import DUPLICATE_CHARGE, OUTSIDE_RETURN_WINDOW, PROCESSING, RETURNABLE
from bot.store.context import StoreContext
from bot.store.tables import orders, returns
from tests.actions.dialogue import Outcome, make_tracker, replying, run, user_message, verified_for


def tracker_for(domain: Dict[str, Any], showcase: Any, text: str = "I want to return it, it's broken"):
    return make_tracker(
        domain,
        slots=verified_for(showcase.number, showcase.customer_email),
        message=user_message(text, "request_refund"),
    )


def return_count(store_engine: Engine, showcase: Any) -> int:
    query = (
        select(returns.c.id).join(orders, orders.c.id == returns.c.order_id).where(orders.c.number == showcase.number)
    )
    with store_engine.connect() as connection:
        return len(connection.execute(query).all())


async def confirmed_return(
    context: StoreContext, domain: Dict[str, Any], showcase: Any, text: str = "I want to return it, it's broken"
) -> Outcome:
    """Asks for the return, as the refund request does, and runs the return on the customer's yes."""
    asked = await run(ActionAskReturnConfirmation(context), tracker_for(domain, showcase, text), domain)
    slots = verified_for(showcase.number, showcase.customer_email)
    yes = replying(domain, asked, slots, user_message("yes", "affirm"))
    # the request that started it is kept as the reason
    yes.events.insert(0, {"event": "user", "text": text, "parse_data": user_message(text, "request_refund")})
    return await run(ActionStartReturn(context), yes, domain)


async def test_a_refund_request_is_asked_about_before_anything_is_written(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any]
) -> None:
    asked = await run(ActionAskReturnConfirmation(context), tracker_for(domain, RETURNABLE), domain)
    assert asked.responses == ["utter_confirm_return"]
    assert asked.slots() == {"awaiting": "return_confirmation", "confirming_order": RETURNABLE.number}
    assert return_count(store_engine, RETURNABLE) == 0


async def test_a_delivered_order_inside_the_window_gets_a_return_on_yes(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any]
) -> None:
    outcome = await confirmed_return(context, domain, RETURNABLE)
    assert outcome.responses == ["utter_return_started"]
    assert outcome.slots() == {"awaiting": None, "confirming_order": None}
    rma = outcome.messages[0]["return_number"]
    assert rma.startswith("RMA-")
    with store_engine.connect() as connection:
        stored = connection.execute(select(returns.c.reason).where(returns.c.number == rma)).scalar_one()
    assert stored == "I want to return it, it's broken"


@pytest.mark.parametrize(
    "message",
    [
        user_message("this is ridiculous, I want my money back now", "request_refund"),
        user_message("esto es ridículo, quiero mi dinero ya", "request_refund"),
        user_message("c'est ridicule, vous vous moquez de moi", "complaint"),
        user_message("das ist eine Frechheit", "complaint"),
        user_message("whatever", "affirm", confidence=0.66),
        user_message("no", "deny"),
    ],
    ids=["en-angry-request", "es-angry-request", "fr-complaint", "de-complaint", "hesitant", "no"],
)
async def test_anything_but_a_clear_yes_to_the_return_question_writes_nothing_and_asks_again(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any], message: Dict[str, Any]
) -> None:
    asked = await run(ActionAskReturnConfirmation(context), tracker_for(domain, RETURNABLE), domain)
    slots = verified_for(RETURNABLE.number, RETURNABLE.customer_email)
    outcome = await run(ActionStartReturn(context), replying(domain, asked, slots, message), domain)
    assert outcome.responses == ["utter_change_not_confirmed", "utter_confirm_return"]
    assert outcome.slots() == {"awaiting": "return_confirmation", "confirming_order": RETURNABLE.number}
    assert return_count(store_engine, RETURNABLE) == 0


async def test_an_angry_message_after_the_duplicate_charge_answer_starts_no_return(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any]
) -> None:
    slots = verified_for(DUPLICATE_CHARGE.number, DUPLICATE_CHARGE.customer_email)
    payment = make_tracker(domain, slots=slots, message=user_message("you charged me twice", "payment_issue"))
    answered = await run(ActionCheckPayment(context), payment, domain)
    assert "utter_duplicate_charge" in answered.responses
    angry = user_message("this is ridiculous, I want my money back now", "request_refund")
    outcome = await run(ActionStartReturn(context), replying(domain, answered, slots, angry), domain)
    assert "utter_return_started" not in outcome.responses
    assert outcome.responses[0] == "utter_change_not_confirmed"
    assert return_count(store_engine, DUPLICATE_CHARGE) == 0


async def test_a_second_return_for_the_same_order_is_refused(context: StoreContext, domain: Dict[str, Any]) -> None:
    await confirmed_return(context, domain, RETURNABLE)
    asked = await run(ActionAskReturnConfirmation(context), tracker_for(domain, RETURNABLE), domain)
    assert asked.responses == ["utter_return_not_allowed"]
    assert "already open" in asked.messages[0]["reason"]
    assert asked.slots() == {"awaiting": None, "confirming_order": None}


async def test_outside_the_return_window_is_explained_without_a_question(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionAskReturnConfirmation(context), tracker_for(domain, OUTSIDE_RETURN_WINDOW), domain)
    assert outcome.responses == ["utter_return_not_allowed"]
    assert "return window" in outcome.messages[0]["reason"]
    assert return_count(store_engine, OUTSIDE_RETURN_WINDOW) == 0


async def test_an_unshipped_order_cannot_be_returned(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionAskReturnConfirmation(context), tracker_for(domain, PROCESSING), domain)
    assert outcome.responses == ["utter_return_not_allowed"]


async def test_a_yes_to_the_return_offer_instead_of_a_cancellation_starts_the_return(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any]
) -> None:
    offered = await run(ActionAskCancelConfirmation(context), tracker_for(domain, RETURNABLE), domain)
    assert offered.slots()["awaiting"] == "return_offer"
    slots = verified_for(RETURNABLE.number, RETURNABLE.customer_email)
    outcome = await run(
        ActionStartReturn(context), replying(domain, offered, slots, user_message("oui", "affirm")), domain
    )
    assert outcome.responses == ["utter_return_started"]
    assert return_count(store_engine, RETURNABLE) == 1


async def test_unicode_and_very_long_reasons_are_kept_within_limits(
    context: StoreContext, store_engine: Engine, domain: Dict[str, Any]
) -> None:
    text = "Das Gerät ist kaputt 😞 " * 100
    outcome = await confirmed_return(context, domain, RETURNABLE, text)
    assert outcome.responses == ["utter_return_started"]
    with store_engine.connect() as connection:
        stored = connection.execute(select(returns.c.reason).order_by(returns.c.id.desc())).scalars().first()
    assert stored.startswith("Das Gerät ist kaputt 😞") and len(stored) <= 500


def test_button_payloads_are_not_taken_as_a_reason(domain: Dict[str, Any]) -> None:
    tracker = make_tracker(domain, message=user_message("/affirm", "request_refund"))
    assert return_reason(tracker) == "Return requested in the chat"


async def test_open_refunds_are_reported(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = make_tracker(domain, slots=verified_for(DUPLICATE_CHARGE.number, DUPLICATE_CHARGE.customer_email))
    outcome = await run(ActionShowRefunds(context), tracker, domain)
    assert outcome.responses and set(outcome.responses) <= {"utter_refund_status", "utter_refund_paid"}
    assert all(message["refund_number"].startswith("RF-") for message in outcome.messages)
    assert all(message["amount"].startswith("€") for message in outcome.messages)


async def test_no_refund_is_said_plainly(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = make_tracker(domain, slots=verified_for(PROCESSING.number, PROCESSING.customer_email))
    outcome = await run(ActionShowRefunds(context), tracker, domain)
    assert outcome.responses == ["utter_no_refunds"]
