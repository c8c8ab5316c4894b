"""Changing the delivery address of a verified order that has not shipped."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe, store_repository
from actions.store.addresses import clean_address
from actions.store.errors import AddressChangeNotAllowed, InvalidAddress, OrderNotFound
from actions.store.refusal_reasons import NO_ADDRESS_CHANGE
from actions.store.repository import StoreRepository
from actions.verification import VerifiedOrderAction, verified_order_number


def _address_change_allowed(tracker: Tracker) -> bool:
    order_number = verified_order_number(tracker)
    if order_number is None:
        return False
    order = store_repository().find_order(order_number)
    return order is not None and order.status.accepts_address_change


def _forget_address(tracker: Tracker) -> EventList:
    return [SlotSet("new_address", None)]


class ValidateShippingAddressForm(FormValidationAction):
    """Asks for the new address only while the order can still be re-addressed, and checks what is typed."""

    def name(self) -> Text:
        return "validate_shipping_address_form"

    @fail_safe(on_failure=_forget_address, answers_turn=False)
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        # Ending the form at once leaves the explanation to action_ask_address_confirmation.
        return domain_slots if _address_change_allowed(tracker) else []

    async def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        try:
            return {"new_address": clean_address(value)}
        except InvalidAddress as problem:
            dispatcher.utter_message(response="utter_invalid_address", reason=problem.reason)
            return {"new_address": None}


class ActionAskAddressConfirmation(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_ask_address_confirmation"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        order = repository.find_order(order_number)
        new_address = tracker.get_slot("new_address")
        if order is None or not order.status.accepts_address_change or not new_address:
            reason = NO_ADDRESS_CHANGE.get(order.status) if order else None
            if reason:
                dispatcher.utter_message(
                    response="utter_address_change_not_allowed", order_number=order_number, reason=reason
                )
            else:
                dispatcher.utter_message(response="utter_order_not_found", order_number=order_number)
            return [SlotSet("new_address", None), SlotSet("awaiting", None)]
        dispatcher.utter_message(
            response="utter_confirm_new_address", order_number=order_number, new_address=new_address
        )
        return [SlotSet("awaiting", "address_confirmation")]


class ActionChangeShippingAddress(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_change_shipping_address"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        forget = [SlotSet("new_address", None)]
        try:
            order = repository.change_shipping_address(order_number, tracker.get_slot("new_address") or "")
        except AddressChangeNotAllowed as refusal:
            dispatcher.utter_message(
                response="utter_address_change_not_allowed", order_number=order_number, reason=refusal.reason
            )
            return forget
        except InvalidAddress as problem:
            dispatcher.utter_message(response="utter_invalid_address", reason=problem.reason)
            return forget
        except OrderNotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=order_number)
            return forget
        dispatcher.utter_message(
            response="utter_address_changed", order_number=order_number, shipping_address=order.shipping_address
        )
        return forget


class ActionKeepShippingAddress(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_keep_shipping_address"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        dispatcher.utter_message(response="utter_address_unchanged", order_number=order_number)
        return [SlotSet("new_address", None)]
