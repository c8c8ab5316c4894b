"""A database made before agents had roles gets the column, and its agents keep working."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect
from sqlalchemy.engine import Engine

from bot.handoff.agent_repository import AgentRepository
from bot.handoff.clock import utc_now
from bot.handoff.database import create_handoff_tables
from bot.handoff.models import AgentRole
from bot.handoff.passwords import hash_password
from bot.sql_types import UtcDateTime
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
    with (sqlite_database(folder) if backend == "sqlite" else postgres_database()) as database:
        yield database


@pytest.fixture(params=["sqlite", "postgresql"])
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with empty_database(request.param, tmp_path) as database:
        engine = database.engine()
        metadata = MetaData()
        table = _agents_before_roles(metadata)
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(table.insert().values(
                username="dana", display_name="Dana", password_hash=hash_password("password-123"),
                status="away", max_concurrent_chats=3, created_at=utc_now(),
            ))
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
