"""A tracker store error fails the request it happens in: no process exit, no forgetful in-memory fallback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Iterator

import pytest
import rasa.core.tracker_store
from rasa.core.agent import Agent
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import tracker_store_errors
from bot.rasa_server.tracker_store_errors import MissingSchema

LONE_SURROGATE = "\ud800"


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # monkeypatch puts Rasa's own behaviour back after each test.
    monkeypatch.setattr(SQLTrackerStore, "session_scope", SQLTrackerStore.session_scope)
    monkeypatch.setattr(Agent, "_create_tracker_store", Agent.__dict__["_create_tracker_store"])
    tracker_store_errors.install()
    yield


@pytest.fixture
def domain() -> Domain:
    return Domain.empty()


@pytest.fixture
def sql_store(tmp_path: Path, domain: Domain) -> TrackerStore:
    """The store endpoints.yml configures: Rasa's SQL tracker store on an SQLite file."""
    return TrackerStore.create(EndpointConfig(type="SQL", dialect="sqlite", db=str(tmp_path / "rasa.db")), domain)


def said(sender_id: str, text: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, [])
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    return tracker


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def user_texts(tracker: DialogueStateTracker) -> list:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


def test_a_sender_id_sqlite_cannot_encode_raises_an_error_and_the_store_goes_on(
    installed: None, sql_store: TrackerStore
) -> None:
    run(sql_store.save(said("customer-1", "hello")))
    with pytest.raises(UnicodeEncodeError):
        run(sql_store.retrieve(LONE_SURROGATE))
    with pytest.raises(UnicodeEncodeError):
        run(sql_store.save(said(LONE_SURROGATE, "hi")))
    run(sql_store.save(said("customer-2", "hi there")))
    assert user_texts(run(sql_store.retrieve("customer-1"))) == ["hello"]
    assert user_texts(run(sql_store.retrieve("customer-2"))) == ["hi there"]


def test_the_agents_store_passes_the_error_on_instead_of_a_fresh_conversation(
    installed: None, sql_store: TrackerStore, domain: Domain
) -> None:
    store = Agent(domain=domain, tracker_store=sql_store).tracker_store
    with pytest.raises(UnicodeEncodeError):
        run(store.get_or_create_tracker(LONE_SURROGATE))
    with pytest.raises(UnicodeEncodeError):
        run(store.save(said(LONE_SURROGATE, "hi")))
    run(store.save(said("customer-1", "hello")))
    assert user_texts(run(store.retrieve("customer-1"))) == ["hello"]


def test_rasas_own_store_exits_the_process_on_the_same_sender_id(sql_store: TrackerStore) -> None:
    # Why the fix exists; when a Rasa upgrade makes this fail, the fix can go.
    with pytest.raises(SystemExit):
        run(sql_store.retrieve(LONE_SURROGATE))


def test_a_missing_schema_is_named_as_the_requests_error(
    installed: None, sql_store: TrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def schema_missing(_session: Any) -> None:
        raise ValueError("shop")

    monkeypatch.setattr(rasa.core.tracker_store, "ensure_schema_exists", schema_missing)
    with pytest.raises(MissingSchema, match="'shop' was not found"):
        run(sql_store.retrieve("customer-1"))
