"""An `events` table of Rasa's: the SQL tracker store's or the SQL event broker's (both keyed by sender_id)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Set

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.service.privacy.subject import Subject


class RasaEventsTable:
    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self._engine: Engine = create_engine(url, future=True)

    def _rows(self, query: str, **params: Any) -> List[Any]:
        try:
            with self._engine.connect() as connection:
                return list(connection.execute(text(query), params))
        except (OperationalError, ProgrammingError):
            return []  # Rasa creates the table on first use: nothing stored yet

    def find(self, subject: Subject) -> Set[str]:
        found: Set[str] = set()
        for pattern in subject.like_patterns():
            rows = self._rows(
                "SELECT sender_id, data FROM events WHERE lower(sender_id) LIKE :needle OR lower(data) LIKE :needle",
                needle=pattern,
            )
            found |= {row.sender_id for row in rows if subject.named_in(row.sender_id) or subject.named_in(row.data)}
        return found

    def export(self, subject: Subject) -> List[Dict[str, Any]]:
        found = []
        for conversation_id in sorted(subject.conversation_ids):
            rows = self._rows("SELECT data FROM events WHERE sender_id = :id ORDER BY id", id=conversation_id)
            found += [json.loads(row.data) for row in rows]
        return found

    def erase(self, subject: Subject) -> int:
        erased = 0
        for conversation_id in subject.conversation_ids:
            try:
                with self._engine.begin() as connection:
                    result = connection.execute(
                        text("DELETE FROM events WHERE sender_id = :id"), {"id": conversation_id}
                    )
                    erased += int(result.rowcount)
            except (OperationalError, ProgrammingError):
                return erased
        return erased

    def purge_before(self, cutoff: datetime) -> int:
        """Deletes every conversation whose newest event is older than `cutoff` (timestamps are in `data`)."""
        newest: Dict[str, float] = {}
        for row in self._rows("SELECT sender_id, data FROM events"):
            try:
                moment = float(json.loads(row.data).get("timestamp") or 0)
            except (ValueError, TypeError, AttributeError):
                continue
            newest[row.sender_id] = max(newest.get(row.sender_id, 0.0), moment)
        old = {sender for sender, moment in newest.items() if moment < cutoff.timestamp()}
        return self.erase(Subject("", old)) if old else 0

    def close(self) -> None:
        self._engine.dispose()
