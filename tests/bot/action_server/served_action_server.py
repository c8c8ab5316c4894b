"""A demo store on SQLite and the action server over it, served in this process for a module's tests."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sanic import Sanic

from bot.action_server.app import create_action_server
from bot.demo.seed import build_demo_store
from bot.shared.settings import Settings
from bot.store.repository import StoreRepository
from tests.support.served_app import Served


@contextmanager
def demo_store(folder: Path) -> Iterator[StoreRepository]:
    repository = StoreRepository.from_url(f"sqlite:///{folder / 'shop.db'}")
    build_demo_store(repository.engine, today=datetime.now(timezone.utc).date())
    try:
        yield repository
    finally:
        repository.engine.dispose()


@contextmanager
def served_action_server(store: StoreRepository, token: str) -> Iterator[Served]:
    before = Sanic.test_mode
    Sanic.test_mode = True
    settings = Settings.from_env({"ACTION_SERVER_TOKEN": token, "DATABASE_URL": str(store.engine.url)})
    try:
        with Served(create_action_server(settings, store)) as server:
            yield server
    finally:
        Sanic.test_mode = before
