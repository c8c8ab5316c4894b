"""Reads the `events` table of Rasa's SQL event broker in id order, for every tail that follows it."""

from __future__ import annotations

from typing import List, Optional, Tuple

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

BATCH_SIZE = 500
BrokerRow = Tuple[int, str, str]


def events_database_url(events_db: str) -> str:
    """`EVENTS_DB` is a file path for SQLite (as in endpoints.yml) or a full database URL."""
    if "://" in events_db:
        return events_db
    return f"sqlite:///{events_db}"


class BrokerEventsTable:
    """The broker's own database, connected on first read (Rasa creates the table when it first publishes)."""

    def __init__(self, events_db: str, batch_size: int = BATCH_SIZE) -> None:
        self._url = events_database_url(events_db)
        self._batch_size = batch_size
        self._engine: Optional[Engine] = None

    def rows_after(self, after_id: int) -> List[BrokerRow]:
        """(id, sender_id, data) of the next events after `after_id`, at most one batch."""
        if self._engine is None:
            self._engine = create_engine(self._url, future=True)
        with self._engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, sender_id, data FROM events WHERE id > :after ORDER BY id LIMIT :n"),
                {"after": after_id, "n": self._batch_size},
            )
            return [(row.id, row.sender_id, row.data) for row in rows]

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
