"""Returns and refunds of a verified order."""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Text

from rasa_sdk.interfaces import Tracker

from actions.common import EventList
from actions.confirmed_change import ConfirmedChangeAction
from actions.consent import RETURN, asked
from actions.formatting import day, money
from actions.orders import items_of
from actions.verified_order import FoundOrderAction, OrderTurn, VerifiedOrderAction
from bot.store.errors import ReturnNotAllowed
from bot.store.records import OrderView, RefundView

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


def ask_to_return(turn: OrderTurn, order: OrderView) -> EventList:
    """Asks before opening a return, or explains why the order cannot be returned."""
    refusal = turn.store.return_refusal(turn.order_number)
    if refusal is not None:
        turn.say("utter_return_not_allowed", order_number=turn.order_number, reason=refusal)
        return asked(None, None)
    turn.say("utter_confirm_return", order_number=turn.order_number, items=items_of(order))
    return asked(RETURN.question, turn.order_number)


class ActionAskReturnConfirmation(FoundOrderAction):
    """A refund request for a delivered order opens a return, once the customer has said yes to it."""

    forgotten_when_not_found = ("awaiting", "confirming_order")

    def name(self) -> Text:
        return "action_ask_return_confirmation"

    def answer_order(self, turn: OrderTurn, order: OrderView) -> EventList:
        return ask_to_return(turn, order)


class ActionStartReturn(ConfirmedChangeAction):
    """Opens a return (RMA) the customer has just agreed to, for a delivered order inside the return window."""

    change = RETURN
    forgotten_when_not_found = ("awaiting", "confirming_order")

    def name(self) -> Text:
        return "action_start_return"

    def perform(self, turn: OrderTurn) -> EventList:
        try:
            opened = turn.store.start_return(turn.order_number, return_reason(turn.tracker))
        except ReturnNotAllowed as refusal:
            turn.say("utter_return_not_allowed", order_number=turn.order_number, reason=refusal.reason)
            return []
        turn.say("utter_return_started", order_number=turn.order_number, return_number=opened.number)
        return []

    def ask_again(self, turn: OrderTurn, order: OrderView) -> EventList:
        return ask_to_return(turn, order)


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
