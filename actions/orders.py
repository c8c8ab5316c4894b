"""Order status and cancellation for a verified order."""
from __future__ import annotations

from typing import Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import EventList
from actions.formatting import day, enumeration, money, words
from actions.store.errors import OrderNotCancellable, OrderNotFound
from actions.store.refusal_reasons import NOT_CANCELLABLE
from actions.store.repository import StoreRepository
from actions.store.statuses import OrderStatus
from actions.store.views import OrderView
from actions.verification import VerifiedOrderAction


def items_of(order: OrderView) -> str:
    return enumeration(f"{line.quantity} × {line.product_name}" for line in order.lines)


class ActionShowOrderStatus(VerifiedOrderAction):
    """Status, carrier, tracking number and expected delivery of the order."""

    def name(self) -> Text:
        return "action_show_order_status"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        order = repository.find_order(order_number)
        if order is None:
            dispatcher.utter_message(response="utter_order_not_found", order_number=order_number)
            return []
        shipment = repository.shipment_for(order_number)
        if order.status in (OrderStatus.CANCELLED, OrderStatus.RETURNED):
            dispatcher.utter_message(
                response="utter_order_status_closed", order_number=order_number, status=order.status.value
            )
        elif shipment is None:
            dispatcher.utter_message(
                response="utter_order_status_unshipped",
                order_number=order_number,
                status=words(order.status.value),
                placed_on=day(order.placed_at),
            )
        elif shipment.delivered_at is not None:
            dispatcher.utter_message(
                response="utter_order_status_delivered",
                order_number=order_number,
                delivered_on=day(shipment.delivered_at),
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
            )
        else:
            dispatcher.utter_message(
                response="utter_order_status_shipped",
                order_number=order_number,
                shipment_status=words(shipment.status.value),
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                eta=day(shipment.estimated_delivery),
            )
        return []


class ActionAskCancelConfirmation(VerifiedOrderAction):
    """Asks before cancelling; an order that has left the warehouse is explained, a delivered one offered a return."""

    def name(self) -> Text:
        return "action_ask_cancel_confirmation"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        order = repository.find_order(order_number)
        if order is None:
            dispatcher.utter_message(response="utter_order_not_found", order_number=order_number)
            return [SlotSet("awaiting", None)]
        if order.status.is_cancellable:
            dispatcher.utter_message(
                response="utter_confirm_cancel",
                order_number=order_number,
                items=items_of(order),
                total=money(order.total, order.currency),
            )
            return [SlotSet("awaiting", "cancel_confirmation")]
        dispatcher.utter_message(
            response="utter_cannot_cancel", order_number=order_number, reason=NOT_CANCELLABLE[order.status]
        )
        if order.status is OrderStatus.DELIVERED:
            dispatcher.utter_message(response="utter_offer_return")
            return [SlotSet("awaiting", "return_offer")]
        return [SlotSet("awaiting", None)]


class ActionCancelOrder(VerifiedOrderAction):
    """Cancels the order the customer just confirmed; refunds are requested by the store in the same transaction."""

    def name(self) -> Text:
        return "action_cancel_order"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        try:
            order = repository.cancel_order(order_number)
        except OrderNotCancellable as refusal:
            # The order may have shipped between the question and the answer.
            dispatcher.utter_message(response="utter_cannot_cancel", order_number=order_number, reason=refusal.reason)
            return []
        except OrderNotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=order_number)
            return []
        dispatcher.utter_message(
            response="utter_order_cancelled", order_number=order_number, total=money(order.total, order.currency)
        )
        return []
