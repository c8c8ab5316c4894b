"""Databases made by earlier releases get the columns and tables added since, and keep working."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, inspect
from sqlalchemy.engine import Engine

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_tables
from bot.service.handoff.passwords import hash_password
from bot.service.handoff.payloads import message_view
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.records import AgentRole
from bot.service.handoff.transcript_repository import TranscriptRepository
from bot.shared.clock import utc_now
from bot.shared.sql_types import UtcDateTime
from tests.support.handoff_fixtures import HandoffDatabase, postgres_database, sqlite_database


def _agents_before_roles(metadata: MetaData) -> Table:
    return Table(
        "handoff_agents",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("username", String(80), nullable=False, unique=True),
        Column("display_name", String(120), nullable=False),
        Column("password_hash", String(255), nullable=False),
        Column("status", String(16), nullable=False),
        Column("max_concurrent_chats", Integer, nullable=False),
        Column("last_seen_at", UtcDateTime, nullable=True),
        Column("created_at", UtcDateTime, nullable=False),
    )


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[HandoffDatabase]:
    with sqlite_database(folder) if backend == "sqlite" else postgres_database() as database:
        yield database


@pytest.fixture(params=["sqlite", "postgresql"])
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with empty_database(request.param, tmp_path) as database:
        engine = database.engine()
        metadata = MetaData()
        table = _agents_before_roles(metadata)
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                table.insert().values(
                    username="dana",
                    display_name="Dana",
                    password_hash=hash_password("password-123"),
                    status="away",
                    max_concurrent_chats=3,
                    created_at=utc_now(),
                )
            )
        yield engine
        engine.dispose()


def test_the_role_column_is_added_with_agent_as_the_default(old_engine: Engine) -> None:
    create_handoff_tables(old_engine)
    assert "role" in {column["name"] for column in inspect(old_engine).get_columns("handoff_agents")}
    agents = AgentRepository(old_engine)
    assert agents.find("dana").role is AgentRole.AGENT
    assert agents.log_in("dana", "password-123") is not None
    assert agents.create("sam", "Sam", "password-123", role=AgentRole.SUPERVISOR).role is AgentRole.SUPERVISOR
    # running it again (every start does) changes nothing
    create_handoff_tables(old_engine)
    assert [agent.role for agent in agents.list()] == [AgentRole.AGENT, AgentRole.SUPERVISOR]


def _chat_before_the_outbox(metadata: MetaData) -> None:
    """handoff_handoffs and handoff_messages as the release before the outbox made them."""
    Table(
        "handoff_handoffs",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("conversation_id", String(255), nullable=False),
        Column("channel", String(64)),
        Column("reason", String(64), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("status", String(16), nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("claimed_at", UtcDateTime),
        Column("closed_at", UtcDateTime),
        Column("agent_id", Integer),
        Column("outcome", String(16)),
        Column("customer_email", String(255)),
        Column("customer_message", Text),
        Column("context_json", Text, nullable=False),
    )
    Table(
        "handoff_messages",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("handoff_id", Integer, nullable=False),
        Column("sender", String(16), nullable=False),
        Column("agent_id", Integer),
        Column("text", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("source_event_id", String(64)),
    )


def test_a_database_from_before_the_outbox_gets_it_and_its_old_replies_read_as_delivered(
    old_engine: Engine,
) -> None:
    metadata = MetaData()
    _chat_before_the_outbox(metadata)
    metadata.create_all(old_engine)
    with old_engine.begin() as connection:
        connection.execute(
            metadata.tables["handoff_handoffs"]
            .insert()
            .values(
                id=1,
                conversation_id="conv-old",
                reason="customer_request",
                kind="live",
                status="active",
                created_at=utc_now(),
                agent_id=1,
                context_json="{}",
            )
        )
        connection.execute(
            metadata.tables["handoff_messages"]
            .insert()
            .values(
                handoff_id=1,
                sender="agent",
                agent_id=1,
                text="sent by the old release",
                created_at=utc_now(),
            )
        )

    create_handoff_tables(old_engine)

    assert "handoff_outbox" in inspect(old_engine).get_table_names()
    assert "delivery" in {column["name"] for column in inspect(old_engine).get_columns("handoff_messages")}
    [line] = TranscriptRepository(old_engine).messages(1)
    assert line.delivery is None and message_view(line)["delivery"] == "delivered"
    assert HandoffQueue(old_engine).get(1).notified_position is None
