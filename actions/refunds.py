"""Returns and refunds of a verified order."""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Text

from rasa_sdk.interfaces import Tracker

from actions.common import EventList
from actions.formatting import day, money
from actions.verified_order import OrderTurn, VerifiedOrderAction
from bot.store.errors import ReturnNotAllowed
from bot.store.records import RefundView

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


def say_refund_paid(turn: OrderTurn, refund: RefundView, paid_at: datetime) -> None:
    """Said wherever a refund comes up once it has been paid out."""
    turn.say(
        "utter_refund_paid",
        refund_number=refund.number,
        amount=money(refund.amount, refund.currency),
        order_number=turn.order_number,
        paid_on=day(paid_at),
    )


class ActionStartReturn(VerifiedOrderAction):
    """Opens a return (RMA) for a delivered order inside the return window."""

    def name(self) -> Text:
        return "action_start_return"

    def answer(self, turn: OrderTurn) -> EventList:
        try:
            opened = turn.store.start_return(turn.order_number, return_reason(turn.tracker))
        except ReturnNotAllowed as refusal:
            turn.say("utter_return_not_allowed", order_number=turn.order_number, reason=refusal.reason)
            return []
        turn.say("utter_return_started", order_number=turn.order_number, return_number=opened.number)
        return []


class ActionShowRefunds(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_show_refunds"

    def answer(self, turn: OrderTurn) -> EventList:
        refunds = turn.store.refunds_for(turn.order_number)
        if not refunds:
            turn.say("utter_no_refunds", order_number=turn.order_number)
        for refund in refunds:
            if refund.paid_at is not None:
                say_refund_paid(turn, refund, refund.paid_at)
                continue
            turn.say(
                "utter_refund_status",
                refund_number=refund.number,
                amount=money(refund.amount, refund.currency),
                order_number=turn.order_number,
                status=refund.status.value,
                requested_on=day(refund.requested_at),
            )
        return []
