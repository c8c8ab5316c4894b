"""Builds real trackers and runs actions with a real dispatcher, checking every message against the domain."""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ANSWERED_SLOT
from bot.shared.clock import Clock, utc_now
from bot.shared.domain_forms import DomainForms
from bot.shared.settings import Settings
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.actions.domain_sending import domain_as_sent

SENDER = "customer-42"


@functools.lru_cache(maxsize=1)
def project_forms() -> DomainForms:
    return DomainForms.from_file()


def context_for(database_url: str, clock: Clock = utc_now, **environment: str) -> StoreContext:
    """The context the action server would build from this environment (`SERVICE_URL="..."` and so on)."""
    settings = Settings.from_env({"DATABASE_URL": database_url, **environment})
    store = StoreRepository.from_url(database_url, clock=clock)
    return StoreContext(settings=settings, store=store, clock=clock, forms=project_forms())


def user_message(
    text: str = "",
    intent: Optional[str] = None,
    entities: Sequence[Dict[str, Any]] = (),
    confidence: float = 1.0,
    metadata: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": list(entities),
        **({"metadata": metadata} if metadata is not None else {}),
    }


def entity(name: str, value: str) -> Dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


def make_tracker(
    domain: Dict[str, Any],
    slots: Optional[Dict[str, Any]] = None,
    message: Optional[Dict[str, Any]] = None,
    events: Sequence[Dict[str, Any]] = (),
    active_loop: Optional[str] = None,
    sender_id: str = SENDER,
    paused: bool = False,
) -> Tracker:
    """A tracker holding every domain slot at its initial value, overridden by `slots`."""
    values = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    values["requested_slot"] = None
    values.update(slots or {})
    latest = message or user_message()
    history = [{"event": "user", "text": latest["text"], "parse_data": latest}, *events]
    return Tracker(
        sender_id=sender_id,
        slots=values,
        latest_message=latest,
        events=history,
        paused=paused,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def replying(
    domain: Dict[str, Any],
    asked: Outcome,
    slots: Dict[str, Any],
    message: Dict[str, Any],
    input_channel: Optional[str] = None,
    turns_between: int = 0,
) -> Tracker:
    """A tracker whose latest message answers the bot turn `asked` (after `turns_between` other turns)."""
    request = user_message("I have a question about my order", "track_order")
    history: List[Dict[str, Any]] = [
        {"event": "user", "text": request["text"], "parse_data": request, "input_channel": input_channel},
        *asked.events,
        {"event": "action", "name": "action_listen"},
    ]
    for _ in range(turns_between):
        other = user_message("how long does delivery take?", "delivery_period")
        history += [
            {"event": "user", "text": other["text"], "parse_data": other, "input_channel": input_channel},
            {"event": "action", "name": "utter_delivery_period"},
            {"event": "action", "name": "action_listen"},
        ]
    history.append(
        {
            "event": "user",
            "text": message["text"],
            "parse_data": message,
            "input_channel": input_channel,
            "metadata": message.get("metadata"),
        }
    )
    values = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    values.update({"requested_slot": None, **slots, **asked.slots()})
    return Tracker(
        sender_id=SENDER,
        slots=values,
        latest_message=message,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def form_tracker(
    domain: Dict[str, Any],
    form: str,
    candidates: Dict[str, Any],
    slots: Optional[Dict[str, Any]] = None,
    message: Optional[Dict[str, Any]] = None,
    requested_slot: Optional[str] = None,
    sender_id: str = SENDER,
) -> Tracker:
    """A tracker as a form's validation action sees it: the slot candidates are the trailing events."""
    all_slots = {**(slots or {}), **candidates, "requested_slot": requested_slot}
    candidate_events = [{"event": "slot", "name": name, "value": value} for name, value in candidates.items()]
    return make_tracker(
        domain,
        slots=all_slots,
        message=message,
        events=[{"event": "action", "name": form}, *candidate_events],
        active_loop=form,
        sender_id=sender_id,
    )


@dataclass(frozen=True)
class Outcome:
    events: List[Dict[str, Any]]
    messages: List[Dict[str, Any]]

    @property
    def responses(self) -> List[Optional[str]]:
        return [message.get("response") for message in self.messages]

    def slots(self) -> Dict[str, Any]:
        """The value each slot ends up with (the last SlotSet wins), apart from the turn-answered marker."""
        return {
            event["name"]: event["value"]
            for event in self.events
            if event.get("event") == "slot" and event["name"] != ANSWERED_SLOT
        }

    @property
    def answered(self) -> bool:
        return any(event.get("event") == "slot" and event["name"] == ANSWERED_SLOT for event in self.events)

    def followup(self) -> Optional[str]:
        return next((event["name"] for event in self.events if event.get("event") == "followup"), None)

    def message(self, response: str) -> Dict[str, Any]:
        return next(message for message in self.messages if message.get("response") == response)


async def run(action: Action, tracker: Tracker, domain: Dict[str, Any]) -> Outcome:
    """Runs `action` with the domain as Rasa's selective domain sends it: all of it, or none."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain_as_sent(action.name(), domain))
    for message in dispatcher.messages:
        assert_renders(message, domain)
    return Outcome(events=list(events or []), messages=list(dispatcher.messages))


def _placeholders(text: str) -> List[str]:
    return [field for _, field, _, _ in string.Formatter().parse(text) if field]


def assert_renders(message: Dict[str, Any], domain: Dict[str, Any]) -> None:
    """Every response an action sends exists in the domain and gets a value for each placeholder."""
    name = message.get("response")
    assert name, f"an action sent text that is not a domain response: {message}"
    assert name in domain["responses"], f"{name} is not a response in domain.yml"
    filled = {key for key, value in message.items() if value is not None}
    for variant in domain["responses"][name]:
        missing = [field for field in _placeholders(variant.get("text", "")) if field not in filled]
        assert not missing, f"{name} is sent without {missing}"


def rendered(message: Dict[str, Any], domain: Dict[str, Any]) -> str:
    """The text the customer reads (first variant), as Rasa's template filling produces it."""
    template = domain["responses"][message["response"]][0]["text"]
    return re.sub(r"{(\w+)}", lambda match: str(message.get(match.group(1))), template)


def verified_for(order_number: str, email: str) -> Dict[str, Any]:
    """Slots of a conversation whose customer proved the order is theirs."""
    return {
        "order_number": order_number,
        "email": email,
        "verified": True,
        "verified_order": order_number,
        "verified_email": email,
    }
