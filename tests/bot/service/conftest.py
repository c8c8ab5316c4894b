"""Every bot-service test runs against SQLite and PostgreSQL: an engine, a running service, agents, a stand-in Rasa."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Callable, Iterator

import aiohttp
import pytest
import requests
from sqlalchemy.engine import Engine

from bot.service.handoff.agent_repository import AgentRepository
from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    StandInRasa,
    auth,
    database_for,
    service_settings,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def handoff_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HandoffDatabase]:
    with database_for(request.param, tmp_path) as database:
        yield database


@pytest.fixture
def engine(handoff_database: HandoffDatabase) -> Iterator[Engine]:
    engine = handoff_database.engine()
    yield engine
    engine.dispose()


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def service(handoff_database: HandoffDatabase, tmp_path: Path) -> Iterator[RunningService]:
    running = RunningService(service_settings(handoff_database, tmp_path), handoff_database.schema)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def create_agent(handoff_database: HandoffDatabase) -> Iterator[Callable[..., str]]:
    """Creates an agent, logs in over HTTP, sets them online and returns their token."""
    engine = handoff_database.engine()

    def create(service: RunningService, username: str, max_chats: int = 3) -> str:
        AgentRepository(engine).create(username, username.title(), "password-123", max_chats)
        response = requests.post(
            f"{service.url}/api/agents/login",
            json={"username": username, "password": "password-123"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        token = response.json()["token"]
        status = requests.post(
            f"{service.url}/api/agents/me/status",
            json={"status": "online"},
            headers=auth(token),
            timeout=10,
        )
        assert status.status_code == 200
        return token

    yield create
    engine.dispose()


@pytest.fixture
def stand_in() -> Iterator[StandInRasa]:
    rasa = StandInRasa().start()
    yield rasa
    rasa.close()


@pytest.fixture
def service_with_rasa(
    handoff_database: HandoffDatabase, tmp_path: Path, stand_in: StandInRasa
) -> Iterator[RunningService]:
    """The bot service talking to the stand-in Rasa, which records what it is sent."""
    running = RunningService(
        service_settings(handoff_database, tmp_path, rasa_url=stand_in.url), handoff_database.schema
    )
    running.start()
    yield running
    running.stop()
