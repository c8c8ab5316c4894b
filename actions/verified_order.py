"""The base of every action about one order: it runs only for an order the conversation has proven is its own."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Optional, Text, Tuple

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.escalation_events import escalate
from bot.shared.clock import Clock
from bot.store.context import UsesStoreContext
from bot.store.errors import OrderNotFound
from bot.store.records import OrderView
from bot.store.repository import StoreRepository

LOCKED_SLOT = "verification_locked"


def verified_order_number(tracker: Tracker) -> Optional[str]:
    """The order this conversation has proven it may see, if the current order is that one."""
    order_number = tracker.get_slot("order_number")
    if (
        tracker.get_slot("verified") is True
        and tracker.get_slot("verified_email")
        and isinstance(order_number, str)
        and order_number
        and order_number == tracker.get_slot("verified_order")
    ):
        return order_number
    return None


@dataclass(frozen=True)
class OrderTurn:
    """One answer about a verified order: what it is about, where to say things, and the store to ask."""

    order_number: str
    dispatcher: CollectingDispatcher
    tracker: Tracker
    store: StoreRepository
    clock: Clock

    def say(self, response: Text, **values: Any) -> None:
        self.dispatcher.utter_message(response=response, **values)


def _refuse_unverified(dispatcher: CollectingDispatcher, tracker: Tracker) -> EventList:
    if tracker.get_slot(LOCKED_SLOT) is True:
        dispatcher.utter_message(response="utter_verification_locked")
    else:
        dispatcher.utter_message(response="utter_verification_failed")
    return [
        SlotSet("verification_attempts", 0.0),
        SlotSet(LOCKED_SLOT, False),
        SlotSet("email", None),
        *escalate("verification_failed"),
    ]


class VerifiedOrderAction(UsesStoreContext, Action, ABC):
    """Runs after the verification form; without proof it apologises and hands over, never answering.

    A subclass implements `answer`. An order the store does not have (or no longer has) gets
    `not_found_response`, and the slots named in `forgotten_when_not_found` are cleared.
    """

    not_found_response: Text = "utter_order_not_found"
    forgotten_when_not_found: Tuple[Text, ...] = ()

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        order_number = verified_order_number(tracker)
        if order_number is None:
            return _refuse_unverified(dispatcher, tracker)
        turn = OrderTurn(order_number, dispatcher, tracker, self.context.store, self.context.clock)
        # The store's calls block: on a worker thread they keep the event loop serving other conversations.
        return await self.context.threads.run(self._answer_or_not_found, turn)

    def _answer_or_not_found(self, turn: OrderTurn) -> EventList:
        try:
            return self.answer(turn)
        except OrderNotFound:
            return self.not_found(turn)

    def not_found(self, turn: OrderTurn) -> EventList:
        turn.say(self.not_found_response, order_number=turn.order_number)
        return [SlotSet(slot, None) for slot in self.forgotten_when_not_found]

    @abstractmethod
    def answer(self, turn: OrderTurn) -> EventList:
        """Answer for an order the customer has proven is theirs (called on a worker thread)."""


class FoundOrderAction(VerifiedOrderAction, ABC):
    """A verified-order action whose answer starts from the order as the store has it now."""

    def answer(self, turn: OrderTurn) -> EventList:
        order = turn.store.find_order(turn.order_number)
        if order is None:
            return self.not_found(turn)
        return self.answer_order(turn, order)

    @abstractmethod
    def answer_order(self, turn: OrderTurn, order: OrderView) -> EventList:
        """Answer about `order`, which exists and is the customer's."""
