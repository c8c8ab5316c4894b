"""Handing the conversation to a person and back: action_handoff, action_handback, ratings, messages left."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList
from actions.form_validator import FormValidator
from actions.handoff_client import HandoffServiceUnavailable, post_internal
from actions.texts.localise import detected_language, language_of, localise
from bot.store.context import UsesStoreContext

logger = logging.getLogger(__name__)

DEFAULT_REASON = "customer_request"
RECENT_INTENTS = 20
# A domain with a dot that is neither its first nor its last character. `[^@\s.]*` stops at the first such
# dot, so no two ways of splitting the domain are tried (the older `[^@\s]+\.[^@\s]+` took quadratic time
# on a domain of many dots); 254 characters is the longest address there is.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s][^@\s.]*\.[^@\s]+$")
MAX_EMAIL_LENGTH = 254
MAX_MESSAGE_LENGTH = 2000


def _is_email(text: str) -> bool:
    return len(text) <= MAX_EMAIL_LENGTH and _EMAIL.match(text) is not None


def _known_slots(tracker: Tracker) -> Dict[str, Any]:
    return {
        name: value
        for name, value in tracker.current_slot_values().items()
        if value is not None and name != "requested_slot"
    }


def _recent_intents(tracker: Tracker) -> List[str]:
    intents = [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return [intent for intent in intents if intent][-RECENT_INTENTS:]


def escalation_body(tracker: Tracker) -> Dict[str, Any]:
    reason = tracker.get_slot("handoff_reason") or DEFAULT_REASON
    return {
        "conversation_id": tracker.sender_id,
        "channel": tracker.get_latest_input_channel(),
        "reason": str(reason)[:64],
        "slots": _known_slots(tracker),
        "intents": _recent_intents(tracker),
        # The agent sees it, and the bot service's own notices to the customer follow it.
        "language": detected_language(tracker),
    }


class ActionHandoff(UsesStoreContext, Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        try:
            answer = await post_internal(self.context.settings, "/internal/handoffs", escalation_body(tracker))
        except HandoffServiceUnavailable:
            logger.exception("could not open a handoff for %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return [SlotSet("handoff_mode", "unavailable")]

        if answer.get("mode") == "live":
            position = answer.get("queue_position")
            if position:
                dispatcher.utter_message(
                    response="utter_handoff_queued",
                    queue_position=position,
                    expected_wait=localise(answer.get("expected_wait_text") or "a few minutes", language_of(tracker)),
                )
            else:
                dispatcher.utter_message(response="utter_handoff_already_connected")
            # paused only now: a person will pick the chat up live
            return [SlotSet("handoff_mode", "live"), ConversationPaused()]

        reply_by = localise(answer.get("reply_by") or "within one working day", language_of(tracker))
        closed = answer.get("offline_reason") == "closed"
        dispatcher.utter_message(
            response="utter_handoff_closed" if closed else "utter_handoff_no_agents",
            reply_by=reply_by,
        )
        dispatcher.utter_message(response="utter_handoff_offer_message")
        events: EventList = [SlotSet("handoff_mode", "offline"), SlotSet("handoff_reply_by", reply_by)]
        email = tracker.get_slot("email")
        if isinstance(email, str) and _is_email(email.strip()):
            events.append(SlotSet("handoff_email", email.strip()))
        return events


class ActionHandback(Action):
    def name(self) -> Text:
        return "action_handback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        dispatcher.utter_message(response="utter_handoff_welcome_back")
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("handoff_mode", None), SlotSet("handoff_reason", None)]


def whole_rating(value: Any) -> Optional[int]:
    """1 to 5, or None for anything else (3.5, 7, "great")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number.is_integer() and 1 <= number <= 5:
        return int(number)
    return None


def rating_comment(tracker: Tracker, score: int) -> Optional[str]:
    """Words typed with the rating ("4, quick but had to repeat myself") are kept as its comment."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith("/"):
        return None
    remainder = re.sub(rf"^\D*{score}\b(\s*(/|out of)\s*5)?[\s,.:;!-]*", "", text, count=1).strip()
    return remainder or None


class ActionStoreRating(UsesStoreContext, Action):
    def name(self) -> Text:
        return "action_store_rating"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        score = whole_rating(tracker.get_slot("rating"))
        if score is None:
            dispatcher.utter_message(response="utter_handoff_rating_invalid")
            return [SlotSet("rating", None)]
        body = {
            "conversation_id": tracker.sender_id,
            "rating": score,
            "comment": rating_comment(tracker, score),
        }
        try:
            await post_internal(self.context.settings, "/internal/ratings", body)
        except HandoffServiceUnavailable:
            logger.exception("could not store the rating of %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_rating_not_saved")
            return [SlotSet("rating", None)]
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return [SlotSet("rating", None)]


class ValidateHandoffMessageForm(FormValidator):
    def name(self) -> Text:
        return "validate_handoff_message_form"

    def validate_handoff_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        email = value.strip() if isinstance(value, str) else ""
        if _is_email(email):
            return {"handoff_email": email}
        dispatcher.utter_message(response="utter_handoff_email_invalid")
        return {"handoff_email": None}

    def validate_handoff_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        message = value.strip() if isinstance(value, str) else ""
        if message and len(message) <= MAX_MESSAGE_LENGTH:
            return {"handoff_message": message}
        dispatcher.utter_message(response="utter_handoff_message_invalid")
        return {"handoff_message": None}


class ActionLeaveMessage(UsesStoreContext, Action):
    """Turns the message the customer left into a ticket in the agents' queue."""

    def name(self) -> Text:
        return "action_leave_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        body = {
            **escalation_body(tracker),
            "email": tracker.get_slot("handoff_email") or "",
            "message": tracker.get_slot("handoff_message") or "",
        }
        cleared = [SlotSet("handoff_message", None), SlotSet("handoff_mode", None)]
        try:
            await post_internal(self.context.settings, "/internal/tickets", body)
        except HandoffServiceUnavailable:
            logger.exception("could not leave the message of %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return cleared
        dispatcher.utter_message(
            response="utter_handoff_message_received",
            reply_by=localise(tracker.get_slot("handoff_reply_by") or "within one working day", language_of(tracker)),
            handoff_email=body["email"],
        )
        return cleared
