"""Complaints: take down what happened, record it, and offer a person."""

from __future__ import annotations

import re
from typing import Any, Dict, Text

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.form_validator import FormValidator
from bot.store.context import UsesStoreContext
from bot.store.errors import InvalidComplaint
from bot.store.repository import MAX_COMPLAINT_LENGTH

# "I want to make a complaint" says that, not what happened: the form then asks for the story.
MIN_WORDS = 6
_ONLY_ANNOUNCES = re.compile(r"(?i)\b(complain\w*|complaint)\b")
MIN_WORDS_WHEN_ANNOUNCING = 9


def describes_what_happened(text: str) -> bool:
    word_count = len(text.split())
    if _ONLY_ANNOUNCES.search(text):
        return word_count >= MIN_WORDS_WHEN_ANNOUNCING
    return word_count >= MIN_WORDS


class ValidateComplaintForm(FormValidator):
    def name(self) -> Text:
        return "validate_complaint_form"

    async def validate_complaint_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not isinstance(value, str) or not describes_what_happened(value):
            return {"complaint_text": None}
        if len(value) > MAX_COMPLAINT_LENGTH:
            dispatcher.utter_message(response="utter_complaint_too_long", max_length=MAX_COMPLAINT_LENGTH)
            return {"complaint_text": None}
        return {"complaint_text": value}


class ActionRecordComplaint(UsesStoreContext, Action):
    def name(self) -> Text:
        return "action_record_complaint"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        try:
            complaint = await self.context.threads.run(
                self.context.store.record_complaint,
                tracker.sender_id,
                tracker.get_slot("complaint_text") or "",
                tracker.get_slot("order_number"),
            )
        except InvalidComplaint:
            dispatcher.utter_message(response="utter_complaint_too_long", max_length=MAX_COMPLAINT_LENGTH)
            dispatcher.utter_message(response="utter_offer_human")
            return [SlotSet("complaint_text", None), SlotSet("awaiting", "human_offer")]
        dispatcher.utter_message(response="utter_complaint_recorded", complaint_id=complaint.id)
        dispatcher.utter_message(response="utter_offer_human")
        return [SlotSet("complaint_text", None), SlotSet("awaiting", "human_offer")]
