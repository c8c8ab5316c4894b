"""Who may see an order: the order verification form's validator and the guard every order action runs behind.

Only the validator sets the proof (`verified`, `verified_order`, `verified_email`, `customer_id`: custom
slot mappings in domain.yml), so nothing a customer types, `/inform{"verified": true}` included, can.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import EventList, action_settings, fail_safe, store_repository
from actions.escalation import escalate
from actions.store.clock import Clock, utc_now
from actions.store.identifiers import is_plausible_email, normalise_email, normalise_order_number
from actions.store.repository import StoreRepository
from actions.store.verification_attempts import VerificationAttempts
from bot.webchat.identity import shopper_email_from_metadata

# Per conversation; the store counts failures per order number across conversations as well.
MAX_VERIFICATION_ATTEMPTS = 3
FORM_SLOTS = ("order_number", "email")
LOCKED_SLOT = "verification_locked"
# Order numbers inside a sentence: "it's ORD-100123", "order #100123 please".
_ORDER_NUMBER_IN_TEXT = re.compile(r"(?i)(?:\bord(?:er)?[\s#:_-]*|#\s*)?\b[0-9]{6}\b")


def order_number_in(text: Optional[str]) -> Optional[str]:
    """The first order number in what the customer typed, normalised to `ORD-123456`."""
    if not isinstance(text, str):
        return None
    whole = normalise_order_number(text)
    if whole is not None:
        return whole
    for match in _ORDER_NUMBER_IN_TEXT.finditer(text[:500]):
        number = normalise_order_number(match.group(0))
        if number is not None:
            return number
    return None


def verified_order_number(tracker: Tracker) -> Optional[str]:
    """The order this conversation has proven it may see, if the current order is that one."""
    order_number = tracker.get_slot("order_number")
    if (
        tracker.get_slot("verified") is True
        and tracker.get_slot("verified_email")
        and order_number
        and order_number == tracker.get_slot("verified_order")
    ):
        return order_number
    return None


def failed_attempts(tracker: Tracker) -> int:
    value = tracker.get_slot("verification_attempts")
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _clear_form_slots(tracker: Tracker) -> EventList:
    # The customer types the order number again after an apology rather than the form ending half-checked.
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


def _unproven() -> Dict[Text, Any]:
    return {"verified": False, "verified_order": None, "verified_email": None, "customer_id": None}


class ValidateOrderVerificationForm(FormValidationAction):
    """Asks for the email for any well-formed order number, then checks the pair against the store.

    A wrong email and an order number that does not exist get the same answer and both count as a failure
    for that order number, so the chat tells nobody which order numbers exist.
    """

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def name(self) -> Text:
        return "validate_order_verification_form"

    @fail_safe(on_failure=_clear_form_slots, answers_turn=False)
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        # An empty list ends the form; the order action that follows explains and hands over.
        if tracker.get_slot(LOCKED_SLOT) is True or failed_attempts(tracker) >= MAX_VERIFICATION_ATTEMPTS:
            return []
        return domain_slots

    def _attempts(self, repository: StoreRepository) -> VerificationAttempts:
        return VerificationAttempts(repository.engine, clock=self._clock)

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        number = order_number_in(value)
        if number is None:
            if not is_plausible_email(value):
                dispatcher.utter_message(response="utter_order_number_malformed")
            return {"order_number": None}
        if tracker.get_slot("verified") is True and number == tracker.get_slot("verified_order"):
            return {"order_number": number}
        repository = store_repository()
        shopper_email = signed_in_shopper_email(tracker)
        if shopper_email is not None and repository.verify_customer(number, shopper_email):
            # The shop has already proven who this is: there is nothing to guess, so no lock-out applies.
            return {"order_number": number, **_verified(repository, number, shopper_email)}
        if self._attempts(repository).is_locked(number):
            return {"order_number": number, **_unproven(), "email": None, LOCKED_SLOT: True}
        # A different order needs its own proof: the email given for the previous one is not reused.
        return {
            "order_number": number,
            **_unproven(),
            "email": tracker.get_slot("email") if _email_typed_now(tracker) else None,
        }

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        order_number = tracker.get_slot("order_number")
        if order_number and verified_order_number(tracker) == order_number:
            # Verified already, perhaps in this very message by the shop's sign-in: typing changes nothing.
            return {"email": tracker.get_slot("verified_email")}
        if tracker.get_slot("email") != value or not order_number:
            # Cleared while validating a new order number, or given before it: asked for after it.
            return {"email": None}
        if not is_plausible_email(value):
            dispatcher.utter_message(response="utter_email_malformed")
            return {"email": None}
        repository = store_repository()
        attempts = self._attempts(repository)
        if attempts.is_locked(order_number):
            return {"email": None, LOCKED_SLOT: True}
        if repository.verify_customer(order_number, value):
            return _verified(repository, order_number, value)
        locked = attempts.record_failure(order_number, tracker.sender_id)
        count = failed_attempts(tracker) + 1
        if not locked and count < MAX_VERIFICATION_ATTEMPTS:
            dispatcher.utter_message(response="utter_verification_mismatch")
        # Both asked again: the customer may have mistyped either, and which one is not said.
        return {
            "order_number": None,
            "email": None,
            "verification_attempts": float(count),
            **({LOCKED_SLOT: True} if locked else {}),
        }


def _verified(repository: StoreRepository, order_number: str, email: str) -> Dict[Text, Any]:
    customer = repository.find_customer(email)
    proven = normalise_email(email)
    return {
        "email": proven,
        "verified": True,
        "verified_order": order_number,
        "verified_email": proven,
        "customer_id": str(customer.id) if customer else None,
        "verification_attempts": 0.0,
    }


def signed_in_shopper_email(tracker: Tracker) -> Optional[str]:
    """The email of the shopper the shop signed in, taken only from a token signed with our secret."""
    metadata = (tracker.latest_message or {}).get("metadata")
    return shopper_email_from_metadata(metadata, action_settings().webchat_jwt_secret)


def _email_typed_now(tracker: Tracker) -> bool:
    entities = (tracker.latest_message or {}).get("entities") or []
    return any(entity.get("entity") == "email" for entity in entities) or (
        tracker.get_slot("requested_slot") == "email" and tracker.active_loop_name == "order_verification_form"
    )


class VerifiedOrderAction(Action, ABC):
    """Base of the actions that run after the verification form: they only ever see a verified order."""

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        order_number = verified_order_number(tracker)
        if order_number is None:
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
        return await self.run_for_order(order_number, dispatcher, tracker, store_repository())

    @abstractmethod
    async def run_for_order(
        self,
        order_number: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        repository: StoreRepository,
    ) -> EventList:
        """Answer for an order the customer has proven is theirs."""
