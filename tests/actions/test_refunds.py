"""Returns inside and outside the window, and the status of refunds."""

from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import select

from actions.refunds import ActionShowRefunds, ActionStartReturn, return_reason
from bot.demo.showcase import DUPLICATE_CHARGE, OUTSIDE_RETURN_WINDOW, PROCESSING, RETURNABLE
from bot.store.context import StoreContext
from bot.store.tables import returns
from tests.actions.dialogue import make_tracker, run, user_message, verified_for


def tracker_for(domain: Dict[str, Any], showcase: Any, text: str = "I want to return it, it's broken"):
    return make_tracker(
        domain,
        slots=verified_for(showcase.number, showcase.customer_email),
        message=user_message(text, "request_refund"),
    )


async def test_a_delivered_order_inside_the_window_gets_a_return(
    context: StoreContext, store_engine, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionStartReturn(context), tracker_for(domain, RETURNABLE), domain)
    assert outcome.responses == ["utter_return_started"]
    rma = outcome.messages[0]["return_number"]
    assert rma.startswith("RMA-")
    with store_engine.connect() as connection:
        stored = connection.execute(select(returns.c.reason).where(returns.c.number == rma)).scalar_one()
    assert stored == "I want to return it, it's broken"


async def test_a_second_return_for_the_same_order_is_refused(context: StoreContext, domain: Dict[str, Any]) -> None:
    await run(ActionStartReturn(context), tracker_for(domain, RETURNABLE), domain)
    again = await run(ActionStartReturn(context), tracker_for(domain, RETURNABLE), domain)
    assert again.responses == ["utter_return_not_allowed"]


async def test_outside_the_return_window_is_explained(
    context: StoreContext, store_engine, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionStartReturn(context), tracker_for(domain, OUTSIDE_RETURN_WINDOW), domain)
    assert outcome.responses == ["utter_return_not_allowed"]
    assert "return window" in outcome.messages[0]["reason"]
    with store_engine.connect() as connection:
        assert (
            connection.execute(
                select(returns.c.id).where(returns.c.reason == "I want to return it, it's broken")
            ).first()
            is None
        )


async def test_an_unshipped_order_cannot_be_returned(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionStartReturn(context), tracker_for(domain, PROCESSING), domain)
    assert outcome.responses == ["utter_return_not_allowed"]


async def test_unicode_and_very_long_reasons_are_kept_within_limits(
    context: StoreContext, store_engine, domain: Dict[str, Any]
) -> None:
    text = "Das Gerät ist kaputt 😞 " * 100
    outcome = await run(ActionStartReturn(context), tracker_for(domain, RETURNABLE, text), domain)
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
