"""Reads one event of Rasa's broker into a report turn: channel, language, intent and fallback, no text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Optional, Union

from sqlalchemy.engine import Connection, Engine

from bot.service.handoff.broker_events import storable_text, user_event
from bot.service.reports import tables as schema
from bot.service.reports.new_rows import insert_if_new

FALLBACK_INTENT = "nlu_fallback"
# the model's language (config.yml) unless the channel's metadata names another
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Turn:
    conversation_id: str
    at: datetime
    channel: Optional[str]
    language: str
    intent: Optional[str]
    fallback: bool
    source_event_id: str


def turn_of(raw: Union[str, bytes, Mapping[str, Any]], sender_id: Optional[str] = None) -> Optional[Turn]:
    """None for anything but a customer's message (bot turns, slots, malformed data)."""
    event = user_event(raw)
    if event is None:
        return None
    conversation_id = event.get("sender_id") or sender_id
    timestamp = event.get("timestamp")
    if not conversation_id or not isinstance(timestamp, (int, float)):
        return None
    intent = (event.get("parse_data") or {}).get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    metadata = event.get("metadata")
    language = metadata.get("language") if isinstance(metadata, dict) else None
    language = language if isinstance(language, str) and language else DEFAULT_LANGUAGE
    channel = event.get("input_channel")
    message_id = event.get("message_id") or f"{conversation_id}:{timestamp}"
    return Turn(
        conversation_id=storable_text(str(conversation_id))[:255],
        at=datetime.fromtimestamp(timestamp, timezone.utc),
        channel=storable_text(channel)[:64] if isinstance(channel, str) and channel else None,
        language=storable_text(language)[:16],
        intent=storable_text(name)[:128] if isinstance(name, str) and name else None,
        fallback=name == FALLBACK_INTENT,
        source_event_id=storable_text(str(message_id))[:64],
    )


def insert_turn(connection: Connection, turn: Turn) -> bool:
    """False when this broker event was recorded before (a restart between read and cursor save)."""
    return insert_if_new(
        connection,
        schema.turns,
        {
            "conversation_id": turn.conversation_id,
            "at": turn.at,
            "channel": turn.channel,
            "language": turn.language,
            "intent": turn.intent,
            "fallback": turn.fallback,
            "source_event_id": turn.source_event_id,
        },
    )


def record_turn(engine: Engine, turn: Turn) -> bool:
    """`insert_turn` in a transaction of its own."""
    with engine.begin() as connection:
        return insert_turn(connection, turn)
