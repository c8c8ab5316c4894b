"""Returns and refunds of a verified order."""
from __future__ import annotations

from typing import Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import EventList
from actions.formatting import day, money
from actions.store.errors import OrderNotFound, ReturnNotAllowed
from actions.store.repository import StoreRepository
from actions.verification import VerifiedOrderAction

# The message that asked for the return is kept as its reason.
_RETURN_REQUEST_INTENTS = ("request_refund", "cancel_order", "complaint")


def return_reason(tracker: Tracker) -> str:
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        text: Optional[str] = event.get("text")
        if intent in _RETURN_REQUEST_INTENTS and text and not text.startswith("/"):
            return text[:500]
    return "Return requested in the chat"


class ActionStartReturn(VerifiedOrderAction):
    """Opens a return (RMA) for a delivered order inside the return window."""

    def name(self) -> Text:
        return "action_start_return"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        try:
            opened = repository.start_return(order_number, return_reason(tracker))
        except ReturnNotAllowed as refusal:
            dispatcher.utter_message(response="utter_return_not_allowed", order_number=order_number, reason=refusal.reason)
            return []
        except OrderNotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=order_number)
            return []
        dispatcher.utter_message(response="utter_return_started", order_number=order_number, return_number=opened.number)
        return []


class ActionShowRefunds(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_show_refunds"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        refunds = repository.refunds_for(order_number)
        if not refunds:
            dispatcher.utter_message(response="utter_no_refunds", order_number=order_number)
        for refund in refunds:
            amount = money(refund.amount, refund.currency)
            if refund.paid_at is not None:
                dispatcher.utter_message(
                    response="utter_refund_paid",
                    refund_number=refund.number,
                    amount=amount,
                    order_number=order_number,
                    paid_on=day(refund.paid_at),
                )
            else:
                dispatcher.utter_message(
                    response="utter_refund_status",
                    refund_number=refund.number,
                    amount=amount,
                    order_number=order_number,
                    status=refund.status.value,
                    requested_on=day(refund.requested_at),
                )
        return []
