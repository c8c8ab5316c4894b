"""Action fixtures: a private copy of the demo store per test, given to the actions as the action server does."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.demo.seed import build_demo_store
from bot.shared.database import create_database_engine
from bot.shared.settings import PROJECT_ROOT
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.actions.dialogue import context_for


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built for today: the actions use the repository's real clock, as in production.
    template = tmp_path_factory.mktemp("action-store") / "template.db"
    engine = create_database_engine(f"sqlite:///{template}")
    build_demo_store(engine, today=datetime.now(timezone.utc).date())
    engine.dispose()
    return template


@pytest.fixture
def store_url(demo_store_template: Path, tmp_path: Path) -> str:
    """DATABASE_URL of a private store copy."""
    copy = tmp_path / f"store-{uuid.uuid4().hex}.db"
    shutil.copyfile(demo_store_template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def context(store_url: str) -> Iterator[StoreContext]:
    """What the action server gives the actions, on the private store copy."""
    built = context_for(store_url)
    yield built
    built.threads.close()
    built.store.engine.dispose()


@pytest.fixture
def repository(context: StoreContext) -> StoreRepository:
    """The very repository the actions use, to look at what they wrote."""
    return context.store


@pytest.fixture
def store_engine(repository: StoreRepository) -> Engine:
    return repository.engine


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The real domain, as the action server receives it from Rasa."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT_ROOT / "domain.yml")).as_dict()
