"""Real databases (SQLite file, PostgreSQL schema) and a running bot service for the handoff tests."""
from __future__ import annotations

import asyncio
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.config import Settings
from bot.handoff.database import create_handoff_engine, create_handoff_tables
from tests.support.stack import free_port

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
TEST_SECRET = "handoff-test-secret"


@dataclass(frozen=True)
class HandoffDatabase:
    url: str
    schema: Optional[str]

    def engine(self) -> Engine:
        return create_handoff_engine(self.url, self.schema)


@contextmanager
def sqlite_database(folder: Path) -> Iterator[HandoffDatabase]:
    yield HandoffDatabase(f"sqlite:///{folder / 'handoff.db'}", None)


@contextmanager
def postgres_database() -> Iterator[HandoffDatabase]:
    """A schema of its own per test, so parallel runs never see each other's rows."""
    admin = create_engine(POSTGRES_URL, future=True)
    schema = f"handoff_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 cannot be reached: {error.orig}")
    try:
        yield HandoffDatabase(POSTGRES_URL, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_for(backend: str, folder: Path) -> Iterator[HandoffDatabase]:
    manager = sqlite_database(folder) if backend == "sqlite" else postgres_database()
    with manager as database:
        engine = database.engine()
        create_handoff_tables(engine)
        engine.dispose()
        yield database


def auth(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def internal() -> Dict[str, str]:
    return {"X-Handoff-Secret": TEST_SECRET}


def escalate(service: "RunningService", conversation_id: str, **extra: Any) -> requests.Response:
    """What the action server sends when `action_handoff` runs."""
    body = {
        "conversation_id": conversation_id,
        "channel": "socketio",
        "reason": "customer_request",
        "slots": {"order_number": "ORD-100123"},
        "intents": ["greet", "order_status", "human_handoff"],
        **extra,
    }
    return requests.post(f"{service.url}/internal/handoffs", json=body, headers=internal(), timeout=10)


def service_settings(
    database: HandoffDatabase,
    folder: Path,
    rasa_url: str = "http://127.0.0.1:9",
    business_hours: str = "Mon-Sun 00:00-24:00",
    agent_max_chats: int = 3,
    handoff_secret: str = TEST_SECRET,
) -> Settings:
    """Port 9 (discard) stands for a Rasa server that is not there, unless a real one is given."""
    base = Settings.from_env(
        {
            "DATABASE_URL": database.url,
            "EVENTS_DB": str(folder / "events.db"),
            "BUSINESS_HOURS": business_hours,
            "BUSINESS_TIMEZONE": "Europe/London",
            "HANDOFF_SECRET": handoff_secret,
        }
    )
    return replace(base, rasa_url=rasa_url, agent_max_chats=agent_max_chats)


class RunningService:
    """The real Sanic app on a free loopback port, served from a background thread."""

    def __init__(self, settings: Settings, schema: Optional[str]) -> None:
        from sanic import Sanic

        from bot.service.app import create_app

        # several apps start in one test process; test mode lets Sanic re-run its start-up rewrites
        Sanic.test_mode = True
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings, name=f"bot_service_{uuid.uuid4().hex[:8]}", database_schema=schema)
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._started = threading.Event()
        self._failure: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(
                self.app.create_server(
                    host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
                )
            )
            self._loop.run_until_complete(self._open(self._server))
        except BaseException as error:  # reported to the test thread in start()
            self._failure = error
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()

    @staticmethod
    async def _open(server) -> None:  # type: ignore[no-untyped-def]
        await server.startup()
        # create_server has bound the socket already; connections wait until the listeners ran
        await server.before_start()
        await server.after_start()

    def start(self) -> "RunningService":
        self._thread.start()
        self._started.wait(30)
        if self._failure is not None:
            raise RuntimeError("the bot service did not start") from self._failure
        return self

    @property
    def desk(self):  # type: ignore[no-untyped-def]
        return self.app.ctx.desk

    def call(self, coroutine):  # type: ignore[no-untyped-def]
        """Runs a coroutine on the service's own loop (the desk belongs to it)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    def stop(self) -> None:
        async def shut_down() -> None:
            await self._server.before_stop()
            self._server.close()
            await self._server.wait_closed()
            await self._server.after_stop()

        if self._server is not None:
            asyncio.run_coroutine_threadsafe(shut_down(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
