"""Rasa's Redis tracker store: one key per conversation, `<prefix>:tracker:<sender_id>`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Set

# redis-py 4.6 (Rasa's pin) ships no type information
import redis  # type: ignore[import-untyped]

from bot.service.privacy.subject import Subject


class RedisTrackers:
    name = "rasa_tracker_store_redis"

    def __init__(self, host: str, port: int, db: int, key_prefix: str) -> None:
        self._redis = redis.Redis(host=host, port=port, db=db, socket_timeout=5)
        # Rasa keeps an alphanumeric prefix and adds its own "tracker:" after it (rasa/core/tracker_store.py)
        self._prefix = f"{key_prefix}:tracker:" if key_prefix.isalnum() else "tracker:"

    def _trackers(self) -> Dict[str, Any]:
        found = {}
        for key in self._redis.scan_iter(match=self._prefix + "*"):
            raw = self._redis.get(key)
            if raw is not None:
                found[key.decode()[len(self._prefix) :]] = raw.decode()
        return found

    def find(self, subject: Subject) -> Set[str]:
        return {sender for sender, raw in self._trackers().items() if subject.named_in(sender) or subject.named_in(raw)}

    def export(self, subject: Subject) -> List[Dict[str, Any]]:
        trackers = self._trackers()
        return [json.loads(trackers[sender]) for sender in sorted(subject.conversation_ids) if sender in trackers]

    def erase(self, subject: Subject) -> int:
        keys = [self._prefix + sender for sender in subject.conversation_ids]
        return int(self._redis.delete(*keys)) if keys else 0

    def purge_before(self, cutoff: datetime) -> int:
        old = set()
        for sender, raw in self._trackers().items():
            events = json.loads(raw).get("events") or []
            newest = max((float(event.get("timestamp") or 0) for event in events), default=0.0)
            if newest < cutoff.timestamp():
                old.add(sender)
        return self.erase(Subject("", old))

    def close(self) -> None:
        self._redis.close()
