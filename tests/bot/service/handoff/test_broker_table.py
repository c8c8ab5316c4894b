"""The broker's events table: events in id order, their owners without their data, and one kept connection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List

from rasa.core.brokers.sql import SQLEventBroker
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.service.handoff.broker_table import BrokerEventsTable


def _published(tmp_path: Path, count: int) -> Path:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    for n in range(count):
        broker.publish({"event": "bot", "sender_id": f"conv-{n % 2}", "timestamp": float(n), "text": f"line {n}"})
    return events_db


def test_owners_come_without_data_and_data_only_for_the_ids_asked(tmp_path: Path) -> None:
    table = BrokerEventsTable(str(_published(tmp_path, 5)), batch_size=3)
    try:
        assert table.owners_after(0) == [(1, "conv-0"), (2, "conv-1"), (3, "conv-0")]
        assert table.owners_after(3) == [(4, "conv-1"), (5, "conv-0")]
        data = table.data_of([2, 5])
        assert table.data_of([]) == {}
        assert [row[0] for row in table.rows_after(1)] == [2, 3, 4]
    finally:
        table.close()
    assert {event_id: json.loads(text)["text"] for event_id, text in data.items()} == {2: "line 1", 5: "line 4"}


def test_an_sqlite_table_is_read_through_one_kept_connection(tmp_path: Path) -> None:
    table = BrokerEventsTable(str(_published(tmp_path, 2)))
    opened: List[Any] = []

    def note(dbapi_connection: Any, _record: Any) -> None:
        opened.append(dbapi_connection)

    event.listen(Engine, "connect", note)
    try:
        for _ in range(10):
            table.owners_after(0)
            table.data_of([1])
    finally:
        event.remove(Engine, "connect", note)
        table.close()
    assert len(opened) == 1
