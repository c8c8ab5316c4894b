"""Handing over to a person: why, and the events that make `action_handoff` run next."""

from __future__ import annotations

from typing import Optional, Text

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe


def escalate(reason: str) -> EventList:
    """What any action returns to hand the conversation to a person."""
    return [SlotSet("handoff_reason", reason), FollowupAction("action_handoff")]


# Actions that offer a person after a product search found nothing: a "yes" to them is no complaint.
_PRODUCT_SEARCH_ACTIONS = frozenset({"action_search_products", "action_answer_product"})


def _last_action(tracker: Tracker) -> Optional[str]:
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") not in (None, "action_listen"):
            return str(event["name"])
    return None


def handoff_reason_for(tracker: Tracker) -> str:
    """After a complaint the person is offered for that complaint; otherwise the customer just asked."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    offered = intent == "affirm" and tracker.get_slot("awaiting") == "human_offer"
    if offered and _last_action(tracker) not in _PRODUCT_SEARCH_ACTIONS:
        return "complaint"
    return "customer_request"


class ActionRequestHuman(Action):
    def name(self) -> Text:
        return "action_request_human"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        return escalate(handoff_reason_for(tracker))
