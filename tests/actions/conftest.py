"""Action fixtures: a private copy of the demo store per test, reached the way the action server reaches it."""
from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest
from sqlalchemy.engine import Engine

from actions.common import forget_store_repository, store_repository
from actions.store.demo import build_demo_store
from actions.store.engine import create_store_engine
from actions.store.repository import StoreRepository
from bot.config import PROJECT_ROOT


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built for today: the actions use the repository's real clock, as in production.
    template = tmp_path_factory.mktemp("action-store") / "template.db"
    engine = create_store_engine(f"sqlite:///{template}")
    build_demo_store(engine, today=datetime.now(timezone.utc).date())
    engine.dispose()
    return template


@pytest.fixture
def store_url(demo_store_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL of a private store copy; the actions' repository is created from it on first use."""
    copy = tmp_path / f"store-{uuid.uuid4().hex}.db"
    shutil.copyfile(demo_store_template, copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    forget_store_repository()
    yield url
    forget_store_repository()


@pytest.fixture
def repository(store_url: str) -> StoreRepository:
    """The very repository the actions use, to look at what they wrote."""
    return store_repository()


@pytest.fixture
def store_engine(repository: StoreRepository) -> Engine:
    return repository.engine


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The real domain, as the action server receives it from Rasa."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT_ROOT / "domain.yml")).as_dict()
