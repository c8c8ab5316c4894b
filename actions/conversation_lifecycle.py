"""Session starts and restarts that leave a conversation paused while a person from the team holds it.

Rasa's own `action_session_start` and `action_restart` end with `SessionStarted` and `Restarted`, and both
events reset the tracker, pause included: after an hour's silence, or after the customer typed `/restart`
(which Rasa still handles while paused), the bot would start talking over the agent. These replace them
(domain.yml lists both names) and behave exactly like Rasa's defaults whenever nobody holds the chat.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Text

from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList

ACTION_LISTEN = "action_listen"
RESTART_RESPONSE = "utter_restart"
# Rasa's default when the domain says nothing (rasa.shared.core.domain.SessionConfig.default()).
DEFAULT_CARRY_OVER_SLOTS = True


def carries_over_slots(domain: Mapping[str, Any]) -> bool:
    session_config = domain.get("session_config") or {}
    return bool(session_config.get("carry_over_slots_to_new_session", DEFAULT_CARRY_OVER_SLOTS))


def _undo_till(kind: str, done: List[Dict[str, Any]]) -> None:
    while done:
        if done.pop().get("event") == kind:
            return


def session_events(events: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events of the current session that still apply, as Rasa's `DialogueStateTracker.applied_events`.

    rasa-sdk's `Tracker.applied_events` does not start over at `session_started`; Rasa's does, and the
    default session start carries over the slots of that list.
    """
    applied: List[Dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind in ("restart", "session_started"):
            applied = []
        elif kind == "undo":
            _undo_till("action", applied)
        elif kind == "rewind":
            _undo_till("user", applied)
            _undo_till("action", applied)
        else:
            applied.append(event)
    return applied


def carried_over_slots(tracker: Tracker) -> EventList:
    """The `SlotSet` events Rasa's default session start copies into the new session, metadata included."""
    carried: EventList = []
    for event in session_events(tracker.events or []):
        name = event.get("name")
        if event.get("event") != "slot" or not isinstance(name, str):
            continue
        slot_set = SlotSet(name, event.get("value"))
        if event.get("metadata"):
            slot_set["metadata"] = event["metadata"]
        carried.append(slot_set)
    return carried


class ActionSessionStart(Action):
    """Starts a new session; a paused conversation stays paused in it."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        events: EventList = [SessionStarted()]
        if carries_over_slots(domain):
            events.extend(carried_over_slots(tracker))
        if tracker.is_paused():
            # After SessionStarted, which un-pauses: the agent keeps the chat and the bot stays silent.
            events.append(ConversationPaused())
        events.append(ActionExecuted(ACTION_LISTEN))
        return events


class ActionRestart(Action):
    """Restarts the conversation, except while a person holds it: then nothing happens and nothing is said."""

    def name(self) -> Text:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        if tracker.is_paused():
            # Rasa handles `/restart` even while paused and would predict again after this action; listening
            # next ends the turn without another prediction (a fallback would speak).
            return [FollowupAction(ACTION_LISTEN)]
        if RESTART_RESPONSE in (domain.get("responses") or {}):
            dispatcher.utter_message(response=RESTART_RESPONSE)
        return [Restarted()]
