"""Real databases (SQLite file, PostgreSQL schema), a running bot service and a stand-in Rasa for the handoff tests."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple

import aiohttp
import pytest
import requests
from aiohttp import web
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.service.handoff.business_hours import BusinessHours
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.service.handoff.desk import HandoffDesk
from bot.service.handoff.live_updates import LiveUpdates
from bot.service.handoff.outbox_delivery import RetryPolicy
from bot.service.handoff.rasa_client import RasaClient
from bot.service.handoff_setup import HandoffOptions
from bot.shared.clock import Clock
from bot.shared.settings import Settings
from tests.support.stack import free_port

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
TEST_SECRET = "handoff-test-secret"
# a client timeout short enough for a test to see it, retries that come quickly (desks built in a test)
CLIENT_TIMEOUT_SECONDS = 0.3
FAST_RETRIES = RetryPolicy(first_delay_seconds=0.05, max_delay_seconds=0.3, poll_seconds=0.05, lease_margin_seconds=0.3)
# short waits on Rasa, so a test sees a timeout, a retry and a delivery within a second or two
TEST_HANDOFF_OPTIONS = HandoffOptions(
    rasa_timeout_seconds=1.0,
    retry_policy=RetryPolicy(first_delay_seconds=0.2, max_delay_seconds=1.0, poll_seconds=0.2),
)
# the opening hours desks built in a test keep, and moments in and out of them (12:00 and 22:00 in London)
OPENING_HOURS = BusinessHours.parse("Mon-Fri 09:00-18:00", "Europe/London")
WEDNESDAY_NOON = datetime(2026, 7, 1, 11, 0, tzinfo=timezone.utc)
SATURDAY_NIGHT = datetime(2026, 7, 4, 21, 0, tzinfo=timezone.utc)


def clock_starting_at(start: datetime) -> Clock:
    """Reads `start` first, then runs on at the real pace: retries and leases still fall due."""
    began = time.monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - began)

    return now


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


def desk_for(
    engine: Engine, session: aiohttp.ClientSession, rasa_url: str, clock: Optional[Clock] = None
) -> HandoffDesk:
    """A desk as the service builds it, with short waits on Rasa; its clock starts on a Wednesday at noon."""
    return HandoffDesk(
        engine,
        OPENING_HOURS,
        RasaClient(rasa_url, session, timeout_seconds=CLIENT_TIMEOUT_SECONDS),
        LiveUpdates(),
        FAST_RETRIES,
        clock or clock_starting_at(WEDNESDAY_NOON),
    )


def broker_desk(engine: Engine, session: aiohttp.ClientSession, clock: Optional[Clock] = None) -> HandoffDesk:
    """What the broker readers hand messages to: nothing listens for Rasa (port 9), open by its clock."""
    return HandoffDesk(
        engine,
        OPENING_HOURS,
        RasaClient("http://127.0.0.1:9", session),
        LiveUpdates(),
        clock=clock or clock_starting_at(WEDNESDAY_NOON),
    )


def auth(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def internal() -> Dict[str, str]:
    return {"X-Handoff-Secret": TEST_SECRET}


def escalate(service: RunningService, conversation_id: str, **extra: Any) -> requests.Response:
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

    def __init__(
        self, settings: Settings, schema: Optional[str], options: HandoffOptions = TEST_HANDOFF_OPTIONS
    ) -> None:
        from sanic import Sanic

        from bot.service.app import create_app

        # several apps start in one test process; test mode lets Sanic re-run its start-up rewrites
        Sanic.test_mode = True
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(
            settings, name=f"bot_service_{uuid.uuid4().hex[:8]}", database_schema=schema, handoff_options=options
        )
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._started = threading.Event()
        self._failure: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(
                self.app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False)
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

    def start(self) -> RunningService:
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


def eventually(check: Callable[[], Any], seconds: float = 15.0) -> Any:
    """The first truthy result of `check`, polled until `seconds` have passed (then its last result)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


async def settles(check: Callable[[], Any], seconds: float = 15.0) -> Any:
    """`eventually` for a test running on an event loop: waits without blocking it."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.02)


class StandInRasa:
    """Rasa's tracker API as far as the bot service uses it, on a loopback port, keeping every event.

    It can be stopped and started again on the same port (Rasa down and back), answer slowly
    (`delay_seconds`, after storing the events, as a busy Rasa does: the caller times out yet the
    event is there; only on `slow_routes` when those are given: "tracker", "events",
    "trigger_intent"), or refuse with `fail_status`.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.delay_seconds = 0.0
        self.slow_routes: Optional[Set[str]] = None
        self.fail_status: Optional[int] = None
        self._events: Dict[str, List[Dict[str, Any]]] = {}
        self._calls: List[Tuple[str, str]] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._runner: Optional[web.AppRunner] = None

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/conversations/{conversation_id}/tracker", self._tracker)
        app.router.add_post("/conversations/{conversation_id}/tracker/events", self._append)
        app.router.add_post("/conversations/{conversation_id}/trigger_intent", self._trigger)
        return app

    def start(self) -> StandInRasa:
        async def up() -> None:
            self._runner = web.AppRunner(self._app(), handle_signals=False)
            await self._runner.setup()
            await web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True).start()

        asyncio.run_coroutine_threadsafe(up(), self._loop).result(10)
        return self

    def stop(self) -> None:
        """Down: connections are refused until `start()`; what it stored stays."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._runner = None

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def events(self, conversation_id: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [dict(event) for event in self._events.get(conversation_id, [])]

    def bot_texts(self, conversation_id: str) -> List[str]:
        return [event["text"] for event in self.events(conversation_id) if event["event"] == "bot"]

    def calls(self, conversation_id: str) -> List[str]:
        with self._lock:
            return [route for conversation, route in self._calls if conversation == conversation_id]

    def paused(self, conversation_id: str) -> bool:
        state = False
        for event in self.events(conversation_id):
            state = {"pause": True, "resume": False}.get(event["event"], state)
        return state

    def _store(self, conversation_id: str, route: str, events: List[Dict[str, Any]]) -> None:
        with self._lock:
            self._calls.append((conversation_id, route))
            for event in events:
                self._events.setdefault(conversation_id, []).append({"timestamp": time.time(), **event})

    async def _answer(self, conversation_id: str, route: str) -> web.Response:
        if self.delay_seconds and (self.slow_routes is None or route in self.slow_routes):
            await asyncio.sleep(self.delay_seconds)
        return web.json_response(
            {
                "sender_id": conversation_id,
                "events": self.events(conversation_id),
                "paused": self.paused(conversation_id),
                "slots": {},
            }
        )

    async def _tracker(self, request: web.Request) -> web.Response:
        if self.fail_status:
            return web.json_response({"message": "failing on purpose"}, status=self.fail_status)
        return await self._answer(request.match_info["conversation_id"], "tracker")

    async def _append(self, request: web.Request) -> web.Response:
        if self.fail_status:
            return web.json_response({"message": "failing on purpose"}, status=self.fail_status)
        conversation_id = request.match_info["conversation_id"]
        body = await request.json()
        self._store(conversation_id, "events", body if isinstance(body, list) else [body])
        return await self._answer(conversation_id, "events")

    async def _trigger(self, request: web.Request) -> web.Response:
        if self.fail_status:
            return web.json_response({"message": "failing on purpose"}, status=self.fail_status)
        conversation_id = request.match_info["conversation_id"]
        body = await request.json()
        intent = {"name": body["name"], "confidence": 1.0}
        self._store(
            conversation_id,
            "trigger_intent",
            [
                {
                    "event": "user",
                    "text": f"/{body['name']}",
                    "parse_data": {"intent": intent, "entities": []},
                    "metadata": {"is_external": True},
                },
                {"event": "bot", "text": "How would you rate the help you got today?", "metadata": {}},
            ],
        )
        return await self._answer(conversation_id, "trigger_intent")
