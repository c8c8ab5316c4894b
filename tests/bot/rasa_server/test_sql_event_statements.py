"""The prebuilt statements select and count exactly what Rasa's own SQL tracker store queries do."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, UserUttered
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.rasa_server.sql_event_statements import SENDER, EventStatements, event_rows

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
TABLE = SQLTrackerStore.SQLEvent.__table__


def session_events(text: str, start: float) -> List[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 1),
        ActionExecuted("action_listen", timestamp=start + 2),
        UserUttered(text, {"name": "greet", "confidence": 0.9}, timestamp=start + 3),
        BotUttered("Hello!", timestamp=start + 4),
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.engine.Engine]:
    if request.param == "sqlite":
        built = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
        TABLE.create(built)
        yield built
        built.dispose()
        return
    schema = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 cannot be reached: {error.orig}")
    built = sa.create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    TABLE.create(built)
    try:
        yield built
    finally:
        built.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_reads_and_counts_match_rasas_queries(engine: sa.engine.Engine) -> None:
    statements = EventStatements.of(TABLE)
    with Session(engine) as session:
        session.execute(statements.insert, event_rows("alice", session_events("hi", 100.0), json.dumps))
        session.execute(statements.insert, event_rows("bob", session_events("hey", 150.0), json.dumps))
        session.execute(statements.insert, event_rows("alice", session_events("hello again", 200.0), json.dumps))
        session.commit()
        store = SQLTrackerStore.__new__(SQLTrackerStore)  # only its query builder is used
        for sender in ("alice", "bob", "nobody"):
            for all_sessions, statement in (
                (False, statements.latest_session_data),
                (True, statements.all_sessions_data),
            ):
                rasas = [row.data for row in store._event_query(session, sender, all_sessions).all()]
                assert session.execute(statement, {SENDER: sender}).scalars().all() == rasas
            expected_count = store._event_query(session, sender, fetch_events_from_all_sessions=False).count()
            assert session.execute(statements.latest_session_count, {SENDER: sender}).scalar_one() == expected_count
        latest = session.execute(statements.latest_session_data, {SENDER: "alice"}).scalars().all()
        assert [json.loads(data).get("text") for data in latest if "text" in json.loads(data)] == [
            "hello again",
            "Hello!",
        ]


def test_rows_carry_the_columns_rasa_fills() -> None:
    (row,) = event_rows("alice", [UserUttered("hi", {"name": "greet", "confidence": 0.9}, timestamp=5.0)], json.dumps)
    assert row["sender_id"] == "alice" and row["type_name"] == "user" and row["intent_name"] == "greet"
    assert row["timestamp"] == 5.0 and row["action_name"] is None
    assert json.loads(row["data"])["text"] == "hi"
