"""Reads the `events` table of Rasa's SQL event broker in id order, for every tail that follows it."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from bot.shared.database import is_sqlite

BATCH_SIZE = 500
BrokerRow = Tuple[int, str, str]
# (id, sender_id): what a reader needs to know of an event before it decides to read the event itself
EventOwner = Tuple[int, str]
_DATA_OF = text("SELECT id, data FROM events WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))


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
        with self._connected().connect() as connection:
            rows = connection.execute(
                text("SELECT id, sender_id, data FROM events WHERE id > :after ORDER BY id LIMIT :n"),
                {"after": after_id, "n": self._batch_size},
            )
            return [(row.id, row.sender_id, row.data) for row in rows]

    def owners_after(self, after_id: int) -> List[EventOwner]:
        """(id, sender_id) of the next events after `after_id`, at most one batch, without their data."""
        with self._connected().connect() as connection:
            rows = connection.execute(
                text("SELECT id, sender_id FROM events WHERE id > :after ORDER BY id LIMIT :n"),
                {"after": after_id, "n": self._batch_size},
            )
            return [(row.id, row.sender_id) for row in rows]

    def data_of(self, event_ids: Sequence[int]) -> Dict[int, str]:
        if not event_ids:
            return {}
        with self._connected().connect() as connection:
            return {row.id: row.data for row in connection.execute(_DATA_OF, {"ids": list(event_ids)})}

    def _connected(self) -> Engine:
        if self._engine is None:
            options: Dict[str, Any] = {}
            if is_sqlite(self._url):
                # one kept connection (SQLAlchemy 1.4 would open and close one per poll), used by one
                # worker thread at a time
                options = {"poolclass": QueuePool, "pool_size": 1, "connect_args": {"check_same_thread": False}}
            self._engine = create_engine(self._url, future=True, **options)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
