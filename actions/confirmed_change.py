"""The base of every action that changes an order: it acts only on the customer's consent, else asks again."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Dict

from actions.common import EventList
from actions.consent import Change, NoConsent, asked, missing_consent
from actions.verified_order import OrderTurn, VerifiedOrderAction
from bot.store.records import OrderView

# What the customer is told when their message was not taken as a yes, before the question comes again.
NOT_CONFIRMED: Dict[NoConsent, str] = {
    NoConsent.NOT_ASKED: "utter_change_not_confirmed",
    NoConsent.NOT_A_YES: "utter_change_not_confirmed",
    NoConsent.WRONG_SENDER: "utter_change_confirm_from_order_address",
}


class ConfirmedChangeAction(VerifiedOrderAction, ABC):
    """Performs `change` when the latest message is the customer's yes to the question about it and this order.

    Rules run these actions only after such a yes; the check here holds whatever path the dialogue took,
    and anything else changes nothing: the customer is told so and asked again.
    """

    change: Change

    def answer(self, turn: OrderTurn) -> EventList:
        refusal = missing_consent(turn.tracker, self.change, turn.order_number)
        if refusal is None:
            return [*self.perform(turn), *asked(None, None)]
        turn.say(NOT_CONFIRMED[refusal], order_number=turn.order_number)
        order = turn.store.find_order(turn.order_number)
        if order is None:
            return self.not_found(turn)
        return self.ask_again(turn, order)

    @abstractmethod
    def perform(self, turn: OrderTurn) -> EventList:
        """Make the change the customer agreed to (called on a worker thread)."""

    @abstractmethod
    def ask_again(self, turn: OrderTurn, order: OrderView) -> EventList:
        """Ask the confirmation question once more, or explain why the change is no longer possible."""
