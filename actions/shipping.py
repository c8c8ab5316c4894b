"""Changing the delivery address of a verified order that has not shipped."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.confirmed_change import ConfirmedChangeAction
from actions.consent import ADDRESS, asked
from actions.form_validator import FormValidator
from actions.verified_order import FoundOrderAction, OrderTurn, VerifiedOrderAction, verified_order_number
from bot.store.addresses import clean_address
from bot.store.errors import AddressChangeNotAllowed, InvalidAddress
from bot.store.records import OrderView
from bot.store.refusal_reasons import NO_ADDRESS_CHANGE
from bot.store.repository import StoreRepository


def _address_change_allowed(store: StoreRepository, order_number: str) -> bool:
    order = store.find_order(order_number)
    return order is not None and order.status.accepts_address_change


def _forget_address(tracker: Tracker) -> EventList:
    return [SlotSet("new_address", None)]


class ValidateShippingAddressForm(FormValidator):
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
        order_number = verified_order_number(tracker)
        if order_number is None:
            return []
        allowed = await self.context.threads.run(_address_change_allowed, self.context.store, order_number)
        return domain_slots if allowed else []

    async def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        try:
            return {"new_address": clean_address(value)}
        except InvalidAddress as problem:
            dispatcher.utter_message(response="utter_invalid_address", reason=problem.reason)
            return {"new_address": None}


def ask_to_change_address(turn: OrderTurn, order: OrderView) -> Optional[EventList]:
    """Asks before re-addressing the order, or explains why it cannot be; None when the order's state is unknown."""
    new_address = turn.tracker.get_slot("new_address")
    if order.status.accepts_address_change and new_address:
        turn.say("utter_confirm_new_address", order_number=turn.order_number, new_address=new_address)
        return asked(ADDRESS.question, turn.order_number)
    reason = NO_ADDRESS_CHANGE.get(order.status)
    if reason is None:
        return None
    turn.say("utter_address_change_not_allowed", order_number=turn.order_number, reason=reason)
    return [SlotSet("new_address", None), *asked(None, None)]


class ActionAskAddressConfirmation(FoundOrderAction):
    forgotten_when_not_found = ("new_address", "awaiting", "confirming_order")

    def name(self) -> Text:
        return "action_ask_address_confirmation"

    def answer_order(self, turn: OrderTurn, order: OrderView) -> EventList:
        events = ask_to_change_address(turn, order)
        return self.not_found(turn) if events is None else events


class ActionChangeShippingAddress(ConfirmedChangeAction):
    change = ADDRESS
    forgotten_when_not_found = ("new_address", "awaiting", "confirming_order")

    def name(self) -> Text:
        return "action_change_shipping_address"

    def perform(self, turn: OrderTurn) -> EventList:
        try:
            order = turn.store.change_shipping_address(turn.order_number, turn.tracker.get_slot("new_address") or "")
        except AddressChangeNotAllowed as refusal:
            turn.say("utter_address_change_not_allowed", order_number=turn.order_number, reason=refusal.reason)
        except InvalidAddress as problem:
            turn.say("utter_invalid_address", reason=problem.reason)
        else:
            turn.say("utter_address_changed", order_number=turn.order_number, shipping_address=order.shipping_address)
        return [SlotSet("new_address", None)]

    def ask_again(self, turn: OrderTurn, order: OrderView) -> EventList:
        # without the new address there is nothing to ask about: "I haven't changed anything" was said
        events = ask_to_change_address(turn, order)
        return [SlotSet("new_address", None), *asked(None, None)] if events is None else events


class ActionKeepShippingAddress(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_keep_shipping_address"

    def answer(self, turn: OrderTurn) -> EventList:
        turn.say("utter_address_unchanged", order_number=turn.order_number)
        return [SlotSet("new_address", None), *asked(None, None)]
