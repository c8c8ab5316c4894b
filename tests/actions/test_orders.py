"""Order status and cancellation, against the demo store's showcase orders."""

from __future__ import annotations

from typing import Any, Dict

from actions.orders import ActionAskCancelConfirmation, ActionCancelOrder, ActionShowOrderStatus
from bot.demo.showcase import PROCESSING, RETURNABLE, SHIPPED
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from bot.store.statuses import OrderStatus, RefundStatus
from tests.actions.dialogue import make_tracker, rendered, replying, run, user_message, verified_for


def tracker_for(domain: Dict[str, Any], showcase: Any, **slots: Any):
    return make_tracker(domain, slots={**verified_for(showcase.number, showcase.customer_email), **slots})


async def test_a_shipped_order_shows_carrier_tracking_number_and_eta(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    shipment = repository.shipment_for(SHIPPED.number)
    outcome = await run(ActionShowOrderStatus(context), tracker_for(domain, SHIPPED), domain)
    assert outcome.responses == ["utter_order_status_shipped"]
    message = outcome.message("utter_order_status_shipped")
    assert message["carrier"] == shipment.carrier
    assert message["tracking_number"] == shipment.tracking_number
    assert str(shipment.estimated_delivery.year) in message["eta"]
    assert SHIPPED.number in rendered(message, domain)


async def test_an_unshipped_order_says_it_has_not_shipped(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionShowOrderStatus(context), tracker_for(domain, PROCESSING), domain)
    assert outcome.responses == ["utter_order_status_unshipped"]
    assert outcome.messages[0]["status"] == "processing"


async def test_a_delivered_order_says_when(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionShowOrderStatus(context), tracker_for(domain, RETURNABLE), domain)
    assert outcome.responses == ["utter_order_status_delivered"]


async def test_nothing_is_shown_for_an_order_that_is_not_verified(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    slots = {"order_number": PROCESSING.number, "verified": True, "verified_order": SHIPPED.number}
    outcome = await run(ActionShowOrderStatus(context), make_tracker(domain, slots=slots), domain)
    assert outcome.responses == ["utter_verification_failed"]
    assert outcome.followup() == "action_handoff"


async def test_cancellation_is_confirmed_first_and_then_written(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    asked = await run(ActionAskCancelConfirmation(context), tracker_for(domain, PROCESSING), domain)
    assert asked.responses == ["utter_confirm_cancel"]
    assert asked.slots() == {"awaiting": "cancel_confirmation", "confirming_order": PROCESSING.number}
    buttons = asked.messages[0]
    assert "×" in buttons["items"] and buttons["total"].startswith("€")
    assert repository.find_order(PROCESSING.number).status is OrderStatus.PROCESSING

    slots = verified_for(PROCESSING.number, PROCESSING.customer_email)
    yes = replying(domain, asked, slots, user_message("yes", "affirm"))
    done = await run(ActionCancelOrder(context), yes, domain)
    assert done.responses == ["utter_order_cancelled"]
    assert done.slots() == {"awaiting": None, "confirming_order": None}
    assert repository.find_order(PROCESSING.number).status is OrderStatus.CANCELLED
    refunds = repository.refunds_for(PROCESSING.number)
    assert refunds and all(refund.status is RefundStatus.REQUESTED for refund in refunds)


async def test_a_shipped_order_cannot_be_cancelled(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    asked = await run(ActionAskCancelConfirmation(context), tracker_for(domain, SHIPPED), domain)
    assert asked.responses == ["utter_cannot_cancel"]
    assert asked.slots() == {"awaiting": None, "confirming_order": None}

    forced = await run(ActionCancelOrder(context), tracker_for(domain, SHIPPED), domain)
    assert forced.responses == ["utter_change_not_confirmed", "utter_cannot_cancel"]
    assert repository.find_order(SHIPPED.number).status is OrderStatus.SHIPPED


async def test_a_delivered_order_is_offered_a_return_instead(context: StoreContext, domain: Dict[str, Any]) -> None:
    asked = await run(ActionAskCancelConfirmation(context), tracker_for(domain, RETURNABLE), domain)
    assert asked.responses == ["utter_cannot_cancel", "utter_offer_return"]
    assert asked.slots() == {"awaiting": "return_offer", "confirming_order": RETURNABLE.number}


async def test_a_cancellation_without_a_yes_to_its_question_asks_again_and_changes_nothing(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    refunds_before = repository.refunds_for(PROCESSING.number)
    unasked = await run(ActionCancelOrder(context), tracker_for(domain, PROCESSING), domain)
    assert unasked.responses == ["utter_change_not_confirmed", "utter_confirm_cancel"]
    assert unasked.slots() == {"awaiting": "cancel_confirmation", "confirming_order": PROCESSING.number}

    slots = verified_for(PROCESSING.number, PROCESSING.customer_email)
    angry = user_message("this is ridiculous, just cancel it already", "complaint")
    outcome = await run(ActionCancelOrder(context), replying(domain, unasked, slots, angry), domain)
    assert outcome.responses == ["utter_change_not_confirmed", "utter_confirm_cancel"]
    assert repository.find_order(PROCESSING.number).status is OrderStatus.PROCESSING
    assert repository.refunds_for(PROCESSING.number) == refunds_before


async def test_a_cancellation_asked_again_for_a_delivered_order_offers_the_return(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionCancelOrder(context), tracker_for(domain, RETURNABLE), domain)
    assert outcome.responses == ["utter_change_not_confirmed", "utter_cannot_cancel", "utter_offer_return"]
    assert outcome.slots() == {"awaiting": "return_offer", "confirming_order": RETURNABLE.number}
    assert repository.find_order(RETURNABLE.number).status is OrderStatus.DELIVERED
