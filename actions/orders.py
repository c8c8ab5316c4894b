"""Order status and cancellation for a verified order."""

from __future__ import annotations

from typing import Text

from actions.common import EventList
from actions.confirmed_change import ConfirmedChangeAction
from actions.consent import CANCEL, asked
from actions.formatting import day, enumeration, money, words
from actions.verified_order import FoundOrderAction, OrderTurn
from bot.store.errors import OrderNotCancellable
from bot.store.records import OrderView
from bot.store.refusal_reasons import NOT_CANCELLABLE
from bot.store.statuses import OrderStatus


def items_of(order: OrderView) -> str:
    return enumeration(f"{line.quantity} × {line.product_name}" for line in order.lines)


class ActionShowOrderStatus(FoundOrderAction):
    """Status, carrier, tracking number and expected delivery of the order."""

    def name(self) -> Text:
        return "action_show_order_status"

    def answer_order(self, turn: OrderTurn, order: OrderView) -> EventList:
        shipment = turn.store.shipment_for(turn.order_number)
        if order.status in (OrderStatus.CANCELLED, OrderStatus.RETURNED):
            turn.say("utter_order_status_closed", order_number=turn.order_number, status=order.status.value)
        elif shipment is None:
            turn.say(
                "utter_order_status_unshipped",
                order_number=turn.order_number,
                status=words(order.status.value),
                placed_on=day(order.placed_at),
            )
        elif shipment.delivered_at is not None:
            turn.say(
                "utter_order_status_delivered",
                order_number=turn.order_number,
                delivered_on=day(shipment.delivered_at),
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
            )
        else:
            turn.say(
                "utter_order_status_shipped",
                order_number=turn.order_number,
                shipment_status=words(shipment.status.value),
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                eta=day(shipment.estimated_delivery),
            )
        return []


def ask_to_cancel(turn: OrderTurn, order: OrderView) -> EventList:
    """Asks before cancelling; an order that has left the warehouse is explained, a delivered one offered a return."""
    if order.status.is_cancellable:
        turn.say(
            "utter_confirm_cancel",
            order_number=turn.order_number,
            items=items_of(order),
            total=money(order.total, order.currency),
        )
        return asked(CANCEL.question, turn.order_number)
    turn.say("utter_cannot_cancel", order_number=turn.order_number, reason=NOT_CANCELLABLE[order.status])
    if order.status is OrderStatus.DELIVERED:
        turn.say("utter_offer_return")
        return asked("return_offer", turn.order_number)
    return asked(None, None)


class ActionAskCancelConfirmation(FoundOrderAction):
    forgotten_when_not_found = ("awaiting", "confirming_order")

    def name(self) -> Text:
        return "action_ask_cancel_confirmation"

    def answer_order(self, turn: OrderTurn, order: OrderView) -> EventList:
        return ask_to_cancel(turn, order)


class ActionCancelOrder(ConfirmedChangeAction):
    """Cancels the order the customer just confirmed; refunds are requested by the store in the same transaction."""

    change = CANCEL
    forgotten_when_not_found = ("awaiting", "confirming_order")

    def name(self) -> Text:
        return "action_cancel_order"

    def perform(self, turn: OrderTurn) -> EventList:
        try:
            order = turn.store.cancel_order(turn.order_number)
        except OrderNotCancellable as refusal:
            # The order may have shipped between the question and the answer.
            turn.say("utter_cannot_cancel", order_number=turn.order_number, reason=refusal.reason)
            return []
        turn.say("utter_order_cancelled", order_number=turn.order_number, total=money(order.total, order.currency))
        return []

    def ask_again(self, turn: OrderTurn, order: OrderView) -> EventList:
        return ask_to_cancel(turn, order)
