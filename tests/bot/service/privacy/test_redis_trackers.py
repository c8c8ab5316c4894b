"""Rasa's Redis tracker store, on the machine's Redis: a customer is found by e-mail or phone and erased alone."""

from __future__ import annotations

import json
import uuid
from typing import Iterator

import pytest
import redis  # type: ignore[import-untyped]

from bot.service.privacy.phone import parsed_phone
from bot.service.privacy.redis_trackers import RedisTrackers
from bot.service.privacy.subject import Subject


@pytest.fixture
def prefix() -> Iterator[str]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=0, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis at 127.0.0.1:6379 cannot be reached: {error}")
    name = f"privacytest{uuid.uuid4().hex[:10]}"
    yield name
    for key in client.scan_iter(match=f"{name}:*"):
        client.delete(key)
    client.close()


def _tracker(sender: str, text: str) -> str:
    return json.dumps({"sender_id": sender, "events": [{"event": "user", "text": text, "timestamp": 1.0}]})


def test_a_customer_is_found_by_phone_or_email_and_only_they_are_erased(prefix: str) -> None:
    client = redis.Redis(host="127.0.0.1", port=6379, db=0, socket_timeout=5)
    client.set(f"{prefix}:tracker:whatsapp:+491715550123", _tracker("whatsapp:+491715550123", "hallo"))
    client.set(f"{prefix}:tracker:web-kim", _tracker("web-kim", "call me on 0171 555 01 23 or kim@example.com"))
    client.set(f"{prefix}:tracker:web-other", _tracker("web-other", "my number is +49 171 5550124"))
    trackers = RedisTrackers("127.0.0.1", 6379, 0, prefix)

    by_phone = Subject("", phone=parsed_phone("+49 171 5550123"))
    by_phone.conversation_ids |= trackers.find(by_phone)
    by_email = Subject("kim@example.com")

    assert by_phone.conversation_ids == {"whatsapp:+491715550123", "web-kim"}
    assert trackers.find(by_email) == {"web-kim"}
    assert [tracker["sender_id"] for tracker in trackers.export(by_phone)] == ["web-kim", "whatsapp:+491715550123"]

    assert trackers.erase(by_phone) == 2
    trackers.close()
    left = sorted(key.decode() for key in client.scan_iter(match=f"{prefix}:*"))
    client.close()
    assert left == [f"{prefix}:tracker:web-other"]
