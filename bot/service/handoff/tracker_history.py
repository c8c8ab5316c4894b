"""Reads a Rasa tracker (as JSON) into what the agent needs: earlier messages, intents and slots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional

from bot.shared.email.attachments import agent_note
from bot.shared.privacy_masking import mask_private

# slots the agent does not need to see: Rasa bookkeeping
_HIDDEN_SLOTS = {"requested_slot", "session_started_metadata"}


@dataclass(frozen=True)
class TrackerHistory:
    messages: List[Dict[str, Any]] = field(default_factory=list)
    intents: List[str] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)


def _event_time(event: Mapping[str, Any]) -> Optional[datetime]:
    timestamp = event.get("timestamp")
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc)


def read_history(tracker: Mapping[str, Any], before: Optional[datetime]) -> TrackerHistory:
    """Messages said before `before` (later ones are in the handoff transcript already)."""
    messages: List[Dict[str, Any]] = []
    intents: List[str] = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind not in ("user", "bot"):
            continue
        moment = _event_time(event)
        if kind == "user":
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if intent:
                intents.append(intent)
        if before is not None and moment is not None and moment >= before:
            continue
        text = event.get("text")
        if not text:
            continue
        # a mail's dropped attachments are named under its first message
        note = agent_note(event.get("metadata")) if kind == "user" else None
        messages.append(
            {
                "sender": "customer" if kind == "user" else "bot",
                # what the customer typed before the handoff reaches the agent masked, as the transcript does
                "text": mask_private(f"{text}\n{note}" if note else text),
                "at": moment.isoformat() if moment else None,
                "agent": None,
                "source": "assistant",
            }
        )
    slots = {
        name: value
        for name, value in (tracker.get("slots") or {}).items()
        if value is not None and name not in _HIDDEN_SLOTS
    }
    return TrackerHistory(messages, intents, slots)
