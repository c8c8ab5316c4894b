"""Reads a Rasa tracker for proof that an unanswered call got through, by the outbox entry's key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from bot.service.handoff.rasa_client import HANDBACK_INTENT

# the key every event the outbox sends carries in its metadata
DELIVERY_KEY = "handoff_delivery_key"


@dataclass(frozen=True)
class HandBackProgress:
    resumed: bool
    triggered: bool


def _events(tracker: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    events = tracker.get("events")
    return [event for event in events if isinstance(event, Mapping)] if isinstance(events, list) else []


def _carries(event: Mapping[str, Any], key: str) -> bool:
    metadata = event.get("metadata")
    return isinstance(metadata, Mapping) and metadata.get(DELIVERY_KEY) == key


def message_delivered(tracker: Mapping[str, Any], key: str) -> bool:
    return any(event.get("event") == "bot" and _carries(event, key) for event in _events(tracker))


def hand_back_progress(tracker: Mapping[str, Any], key: str) -> HandBackProgress:
    """Whether our resume is in the tracker, and the hand-back intent after it."""
    resumed = triggered = False
    for event in _events(tracker):
        if event.get("event") == "resume" and _carries(event, key):
            resumed = True
        elif resumed and event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            triggered = triggered or intent.get("name") == HANDBACK_INTENT
    return HandBackProgress(resumed, triggered)
