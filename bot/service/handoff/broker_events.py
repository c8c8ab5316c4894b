"""Turns an event published by Rasa's event broker into a customer message for the handoff desk."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional, Union

from bot.shared.email.attachments import agent_note

# lone surrogates cannot be encoded as UTF-8 and PostgreSQL refuses NUL in text: either would stop the
# reader at that event for good, so they become U+FFFD and the message is kept
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def storable_text(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", text)


@dataclass(frozen=True)
class CustomerMessage:
    conversation_id: str
    text: str
    event_key: str
    sent_at: datetime


def user_event(raw: Union[str, bytes, Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """The event as a dict when it is a customer's turn (`"event": "user"`); None for anything else."""
    try:
        event = json.loads(raw) if isinstance(raw, (str, bytes)) else dict(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(event, dict) or event.get("event") != "user":
        return None
    return event


def customer_message(
    raw: Union[str, bytes, Mapping[str, Any]], sender_id: Optional[str] = None
) -> Optional[CustomerMessage]:
    """None for anything that is not a customer's text (bot turns, slots, malformed data)."""
    event = user_event(raw)
    if event is None:
        return None
    text = event.get("text")
    conversation_id = event.get("sender_id") or sender_id
    timestamp = event.get("timestamp")
    if not isinstance(text, str) or not text or not conversation_id:
        return None
    if not isinstance(timestamp, (int, float)):
        return None
    message_id = event.get("message_id") or f"{conversation_id}:{timestamp}"
    # a mail's dropped attachments are named under its first message, for the agent
    note = agent_note(event.get("metadata"))
    return CustomerMessage(
        conversation_id=storable_text(str(conversation_id)),
        text=storable_text(f"{text}\n{note}" if note else text),
        event_key=storable_text(str(message_id))[:64],
        sent_at=datetime.fromtimestamp(timestamp, timezone.utc),
    )
