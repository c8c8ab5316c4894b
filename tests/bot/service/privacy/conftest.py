"""Every handoff repository test runs against SQLite and PostgreSQL; desks talk to a stand-in Rasa."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Iterator

import aiohttp
import pytest
from sqlalchemy.engine import Engine

from tests.support.handoff_fixtures import HandoffDatabase, StandInRasa, database_for


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
def stand_in() -> Iterator[StandInRasa]:
    rasa = StandInRasa().start()
    yield rasa
    rasa.close()


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
