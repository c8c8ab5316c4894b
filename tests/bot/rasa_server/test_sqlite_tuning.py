"""SQLite files Rasa opens itself are in WAL mode with `synchronous=NORMAL`; other databases are left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bot.rasa_server import sqlite_tuning

NORMAL = 1


@pytest.fixture
def installed() -> Iterator[None]:
    sqlite_tuning.install()
    yield
    event.remove(Engine, "connect", sqlite_tuning.tune_sqlite_connection)


def pragmas(engine: Engine) -> tuple:
    with engine.connect() as connection:
        return (
            connection.execute(text("PRAGMA journal_mode")).scalar(),
            connection.execute(text("PRAGMA synchronous")).scalar(),
            connection.execute(text("PRAGMA busy_timeout")).scalar(),
        )


def test_rasas_tracker_store_and_event_broker_open_their_files_in_wal_mode(tmp_path: Path, installed: None) -> None:
    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "rasa.db"))
    broker = SQLEventBroker(db=str(tmp_path / "events.db"))

    assert pragmas(store.engine) == ("wal", NORMAL, 30000)
    assert pragmas(broker.engine) == ("wal", NORMAL, 30000)


def test_installing_twice_tunes_each_connection_once(installed: None) -> None:
    sqlite_tuning.install()
    assert event.contains(Engine, "connect", sqlite_tuning.tune_sqlite_connection)


def test_without_it_rasa_keeps_a_rollback_journal(tmp_path: Path) -> None:
    # what the launcher changes: SQLAlchemy's and SQLite's own defaults
    broker = SQLEventBroker(db=str(tmp_path / "events.db"))
    assert pragmas(broker.engine)[0] == "delete"
