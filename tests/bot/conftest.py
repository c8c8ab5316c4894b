"""Fixtures for the store and demo tests: the demo store built once per backend (SQLite file, fresh PostgreSQL database), copied per test."""

from __future__ import annotations

import shutil
import socket
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.demo.seed import build_demo_store
from bot.shared.database import create_store_engine
from bot.store.repository import StoreRepository

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432
POSTGRES_ADMIN_URL = f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/test"


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((POSTGRES_HOST, POSTGRES_PORT), timeout=2):
            return True
    except OSError:
        return False


def fixed_clock() -> datetime:
    return NOW


@dataclass(frozen=True)
class StoreTemplate:
    """A built demo store that each test gets a private copy of."""

    backend: str
    make_copy: Callable[[], str]
    drop_copy: Callable[[str], None]


def _sqlite_template(directory: Path) -> StoreTemplate:
    template = directory / "template.db"
    engine = create_store_engine(f"sqlite:///{template}")
    build_demo_store(engine, today=TODAY)
    engine.dispose()

    def make_copy() -> str:
        copy = directory / f"store-{uuid.uuid4().hex}.db"
        shutil.copyfile(template, copy)
        return f"sqlite:///{copy}"

    def drop_copy(url: str) -> None:
        Path(url[len("sqlite:///") :]).unlink(missing_ok=True)

    return StoreTemplate("sqlite", make_copy, drop_copy)


def _postgres_template(admin: Engine, created: list) -> StoreTemplate:
    template = f"store_template_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{template}"'))
    created.append(template)
    engine = create_store_engine(f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{template}")
    build_demo_store(engine, today=TODAY)
    # CREATE DATABASE ... TEMPLATE needs the template to have no open connections.
    engine.dispose()

    def make_copy() -> str:
        name = f"store_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        created.append(name)
        return f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"

    def drop_copy(url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        created.remove(name)

    return StoreTemplate("postgresql", make_copy, drop_copy)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def store_template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreTemplate]:
    if request.param == "sqlite":
        yield _sqlite_template(tmp_path_factory.mktemp("store"))
        return
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_HOST}:{POSTGRES_PORT}")
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    created: list = []
    try:
        yield _postgres_template(admin, created)
    finally:
        with admin.connect() as connection:
            for name in reversed(created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store_engine(store_template: StoreTemplate) -> Iterator[Engine]:
    url = store_template.make_copy()
    engine = create_store_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        store_template.drop_copy(url)


@pytest.fixture
def store(store_engine: Engine) -> StoreRepository:
    """A repository over a private copy of the demo store, living at NOW (2026-11-20 12:00 UTC)."""
    return StoreRepository(store_engine, clock=fixed_clock)


@pytest.fixture(scope="session")
def shared_store(store_template: StoreTemplate) -> Iterator[StoreRepository]:
    """One copy per backend for tests that only read; tests that change anything use `store`."""
    url = store_template.make_copy()
    engine = create_store_engine(url)
    try:
        yield StoreRepository(engine, clock=fixed_clock)
    finally:
        engine.dispose()
        store_template.drop_copy(url)
