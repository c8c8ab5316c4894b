"""Who may see an order: the order verification form's validator and the guard every order action runs behind.

Only the validator sets the proof (`verified`, `verified_order`, `verified_email`, `customer_id`: custom
slot mappings in domain.yml), so nothing a customer types, `/inform{"verified": true}` included, can.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.email_identity import SENDER_MISMATCH, email_sender
from actions.form_validator import FormValidator
from actions.verified_order import LOCKED_SLOT, verified_order_number
from bot.shared.webchat.identity import shopper_email_from_metadata
from bot.store.identifiers import is_plausible_email, normalise_email, order_number_in_text
from bot.store.repository import StoreRepository
from bot.store.verification_attempts import VerificationAttempts

# Per conversation; the store counts failures per order number across conversations as well.
MAX_VERIFICATION_ATTEMPTS = 3
FORM_SLOTS = ("order_number", "email")


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


class ValidateOrderVerificationForm(FormValidator):
    """Asks for the email for any well-formed order number, then checks the pair against the store.

    A wrong email and an order number that does not exist get the same answer and both count as a failure
    for that order number, so the chat tells nobody which order numbers exist. The store is asked on a
    worker thread, off the event loop.
    """

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

    def _attempts(self) -> VerificationAttempts:
        return VerificationAttempts(self.context.store.engine, clock=self.context.clock)

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        number = order_number_in_text(value)
        if number is None:
            if not is_plausible_email(value):
                dispatcher.utter_message(response="utter_order_number_malformed")
            return {"order_number": None}
        if tracker.get_slot("verified") is True and number == tracker.get_slot("verified_order"):
            return {"order_number": number}
        shopper_email = signed_in_shopper_email(tracker, self.context.settings.webchat_jwt_secret)
        sender = email_sender(tracker)
        if sender is not None:
            # By e-mail the reply goes to the sender, so the sender's address is the proof, and the only one:
            # an address typed into the mail proves nothing.
            proven = await self.context.threads.run(self._check_sender, number, sender)
            if proven is None:
                dispatcher.utter_message(text=SENDER_MISMATCH)
                return {"order_number": None, **_unproven(), "email": None}
            return proven
        typed_email = tracker.get_slot("email") if _email_typed_now(tracker) else None
        return await self.context.threads.run(self._check_order_number, number, shopper_email, typed_email)

    def _check_sender(self, number: str, sender: str) -> Optional[Dict[Text, Any]]:
        store = self.context.store
        if store.verify_customer(number, sender):
            return {"order_number": number, **_verified(store, number, sender)}
        return None

    def _check_order_number(
        self, number: str, shopper_email: Optional[str], typed_email: Optional[str]
    ) -> Dict[Text, Any]:
        store = self.context.store
        if shopper_email is not None and store.verify_customer(number, shopper_email):
            # The shop has already proven who this is: there is nothing to guess, so no lock-out applies.
            return {"order_number": number, **_verified(store, number, shopper_email)}
        if self._attempts().is_locked(number):
            return {"order_number": number, **_unproven(), "email": None, LOCKED_SLOT: True}
        # A different order needs its own proof: the email given for the previous one is not reused.
        return {"order_number": number, **_unproven(), "email": typed_email}

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        order_number = tracker.get_slot("order_number")
        if order_number and verified_order_number(tracker) == order_number:
            # Verified already, perhaps in this very message by the shop's sign-in: typing changes nothing.
            return {"email": tracker.get_slot("verified_email")}
        if email_sender(tracker) is not None:
            # By e-mail only the sender's address counts (validate_order_number checked it).
            return {"email": None}
        if tracker.get_slot("email") != value or not order_number:
            # Cleared while validating a new order number, or given before it: asked for after it.
            return {"email": None}
        if not is_plausible_email(value):
            dispatcher.utter_message(response="utter_email_malformed")
            return {"email": None}
        return await self.context.threads.run(self._check_email, dispatcher, tracker, order_number, value)

    def _check_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, order_number: str, email: str
    ) -> Dict[Text, Any]:
        attempts = self._attempts()
        if attempts.is_locked(order_number):
            return {"email": None, LOCKED_SLOT: True}
        if self.context.store.verify_customer(order_number, email):
            return _verified(self.context.store, order_number, email)
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


def _verified(store: StoreRepository, order_number: str, email: str) -> Dict[Text, Any]:
    customer = store.find_customer(email)
    proven = normalise_email(email)
    return {
        "email": proven,
        "verified": True,
        "verified_order": order_number,
        "verified_email": proven,
        "customer_id": str(customer.id) if customer else None,
        "verification_attempts": 0.0,
    }


def signed_in_shopper_email(tracker: Tracker, jwt_secret: Optional[str]) -> Optional[str]:
    """The email of the shopper the shop signed in, taken only from a token signed with our secret."""
    metadata = (tracker.latest_message or {}).get("metadata")
    return shopper_email_from_metadata(metadata, jwt_secret)


def _email_typed_now(tracker: Tracker) -> bool:
    entities = (tracker.latest_message or {}).get("entities") or []
    return any(entity.get("entity") == "email" for entity in entities) or (
        tracker.get_slot("requested_slot") == "email" and tracker.active_loop_name == "order_verification_form"
    )
