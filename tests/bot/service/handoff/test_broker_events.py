"""Which broker events are customer messages."""

from __future__ import annotations

import json

from bot.service.handoff.broker_events import customer_message


def test_a_user_event_becomes_a_customer_message() -> None:
    raw = json.dumps({"event": "user", "sender_id": "c1", "text": "hi", "timestamp": 1700000000.5, "message_id": "m-1"})
    message = customer_message(raw)
    assert message.conversation_id == "c1" and message.text == "hi"
    assert message.event_key == "m-1"
    assert message.sent_at.tzinfo is not None and message.sent_at.timestamp() == 1700000000.5


def test_anything_else_is_ignored() -> None:
    assert customer_message(b"{not json") is None
    assert customer_message("[]") is None
    assert customer_message({"event": "bot", "sender_id": "c1", "text": "x", "timestamp": 1.0}) is None
    assert customer_message({"event": "user", "sender_id": "c1", "text": "", "timestamp": 1.0}) is None
    assert customer_message({"event": "user", "text": "x", "timestamp": 1.0}) is None
    assert customer_message({"event": "user", "text": "x", "timestamp": 1.0}, "c9").conversation_id == "c9"
