"""Every handoff repository test runs against SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.support.handoff_fixtures import HandoffDatabase, database_for


@pytest.fixture(params=["sqlite", "postgresql"])
def handoff_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HandoffDatabase]:
    with database_for(request.param, tmp_path) as database:
        yield database


@pytest.fixture
def engine(handoff_database: HandoffDatabase) -> Iterator[Engine]:
    engine = handoff_database.engine()
    yield engine
    engine.dispose()
