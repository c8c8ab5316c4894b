"""The off-loop tracker stores keep exactly what Rasa's own stores keep, and publish the same events once."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server.off_loop_tracker_stores import OffLoopRedisTrackerStore, OffLoopSQLTrackerStore, completed

DOMAIN = Domain.from_dict({"slots": {"order_number": {"type": "text", "mappings": [{"type": "custom"}]}}})


class RecordingBroker(EventBroker):
    """Remembers what it was given, and on which thread."""

    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []
        self.threads: List[str] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)
        self.threads.append(threading.current_thread().name)


def two_turns(sender_id: str) -> List[DialogueStateTracker]:
    """The tracker after the first turn and after the second, as Rasa saves them."""
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("where is ORD-100001", {"name": "order_status", "confidence": 0.9}),
    ):
        tracker.update(event)
    first = tracker.copy()
    for event in (SlotSet("order_number", "ORD-100001"), BotUttered("Which e-mail?"), ActionExecuted("action_listen")):
        tracker.update(event)
    return [first, tracker]


def rows(database: Path, query: str) -> List[Any]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


def save_both_turns(store: Any, sender_id: str, turns: Optional[List[DialogueStateTracker]] = None) -> None:
    async def save() -> None:
        for tracker in turns or two_turns(sender_id):
            await store.save(tracker)

    asyncio.run(save())


def test_the_sql_store_writes_the_rows_rasas_own_store_writes(tmp_path: Path) -> None:
    theirs = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "theirs.db"))
    mine = OffLoopSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "mine.db"))

    turns = two_turns("customer")
    save_both_turns(theirs, "customer", turns)
    save_both_turns(mine, "customer", turns)

    query = "SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id"
    assert rows(tmp_path / "mine.db", query) == rows(tmp_path / "theirs.db", query)
    assert len(rows(tmp_path / "mine.db", query)) >= len(turns[-1].events)
    retrieved = asyncio.run(mine.retrieve("customer"))
    assert retrieved is not None and retrieved.get_slot("order_number") == "ORD-100001"
    assert list(asyncio.run(mine.keys())) == ["customer"]


def test_the_sql_broker_gets_the_events_rasas_own_store_publishes_in_order(tmp_path: Path) -> None:
    turns = two_turns("customer")
    for name, store_class in (("theirs", SQLTrackerStore), ("mine", OffLoopSQLTrackerStore)):
        broker = SQLEventBroker(db=str(tmp_path / f"{name}-events.db"))
        store = store_class(DOMAIN, dialect="sqlite", db=str(tmp_path / f"{name}.db"), event_broker=broker)
        save_both_turns(store, "customer", turns)

    query = "SELECT sender_id, data FROM events ORDER BY id"
    published = rows(tmp_path / "mine-events.db", query)
    assert published == rows(tmp_path / "theirs-events.db", query)
    assert [json.loads(data)["event"] for _, data in published][:4] == ["action", "session_started", "action", "user"]


def test_another_broker_is_given_the_same_events_on_the_event_loop(tmp_path: Path) -> None:
    turns = two_turns("customer")
    theirs_broker, mine_broker = RecordingBroker(), RecordingBroker()
    theirs = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "theirs.db"), event_broker=theirs_broker)
    mine = OffLoopSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "mine.db"), event_broker=mine_broker)
    save_both_turns(theirs, "customer", turns)
    save_both_turns(mine, "customer", turns)

    assert mine_broker.published == theirs_broker.published
    assert len(mine_broker.published) >= len(turns[-1].events)
    assert set(mine_broker.threads) == {threading.main_thread().name}


def test_store_calls_run_on_the_stores_thread(tmp_path: Path) -> None:
    store = OffLoopSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    seen: List[str] = []
    original = store._store_new_events

    def recording(tracker: DialogueStateTracker) -> Any:
        seen.append(threading.current_thread().name)
        return original(tracker)

    store._store_new_events = recording  # type: ignore[method-assign]
    save_both_turns(store, "customer")
    assert len(seen) == 2 and all(name.startswith("tracker-store") for name in seen)


def test_a_method_that_waits_is_refused() -> None:
    async def waits() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="waited"):
        completed(waits())


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=0, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis on 127.0.0.1:6379 cannot be reached")
    prefix = f"testoffloop{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_the_redis_store_keeps_what_rasas_own_keeps_and_publishes_the_same(redis_prefix: str) -> None:
    theirs_broker, mine_broker = RecordingBroker(), RecordingBroker()
    theirs = RedisTrackerStore(DOMAIN, key_prefix=f"{redis_prefix}theirs", event_broker=theirs_broker)
    mine = OffLoopRedisTrackerStore(DOMAIN, key_prefix=f"{redis_prefix}mine", event_broker=mine_broker)

    turns = two_turns("customer")
    save_both_turns(theirs, "customer", turns)
    save_both_turns(mine, "customer", turns)

    assert mine.key_prefix.startswith(redis_prefix) and theirs.key_prefix.startswith(redis_prefix)
    stored_theirs = json.loads(theirs.red.get(theirs.key_prefix + "customer"))
    stored_mine = json.loads(mine.red.get(mine.key_prefix + "customer"))
    assert stored_mine == stored_theirs
    assert mine_broker.published == theirs_broker.published
    assert len(mine_broker.published) >= len(turns[-1].events)
    retrieved = asyncio.run(mine.retrieve("customer"))
    assert retrieved is not None and retrieved.get_slot("order_number") == "ORD-100001"


def test_an_sqlite_store_and_its_broker_keep_one_connection_each(tmp_path: Path) -> None:
    from sqlalchemy import event

    broker = SQLEventBroker(db=str(tmp_path / "events.db"))
    store = OffLoopSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"), event_broker=broker)
    opened: List[str] = []
    event.listen(store.engine, "connect", lambda *_: opened.append("store"))
    event.listen(broker.engine, "connect", lambda *_: opened.append("broker"))

    for number in range(3):
        save_both_turns(store, f"customer-{number}")
        assert asyncio.run(store.retrieve(f"customer-{number}")) is not None

    # opened once each on the store's thread, not once per session
    assert sorted(opened) == ["broker", "store"]
    assert len(rows(tmp_path / "events.db", "SELECT id FROM events")) >= 3 * len(two_turns("x")[-1].events)


def _second_session(tracker: DialogueStateTracker) -> DialogueStateTracker:
    later = tracker.copy()
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hello again", {"name": "greet", "confidence": 0.9}),
        BotUttered("Hi!"),
        ActionExecuted("action_listen"),
    ):
        later.update(event)
    return later


def test_the_redis_store_keeps_what_rasas_keeps_across_sessions_and_after_a_change_elsewhere(
    redis_prefix: str,
) -> None:
    theirs_broker, mine_broker = RecordingBroker(), RecordingBroker()
    theirs = RedisTrackerStore(DOMAIN, key_prefix=f"{redis_prefix}theirs", event_broker=theirs_broker)
    mine = OffLoopRedisTrackerStore(DOMAIN, key_prefix=f"{redis_prefix}mine", event_broker=mine_broker)
    first, second = two_turns("customer")
    two_sessions = _second_session(second)
    thanked_at = two_sessions.events[-1].timestamp + 1.0

    async def save_in_turn(store: Any) -> None:
        for tracker in (first, second, two_sessions):
            await store.save(tracker)
        # the latest session only, as Rasa's retrieve gives it, with one more turn
        latest = await store.retrieve("customer")
        assert latest is not None
        latest.update(UserUttered("thanks", {"name": "thank", "confidence": 0.9}, timestamp=thanked_at))
        await store.save(latest)
        stored_then.append(json.loads(store.red.get(store.key_prefix + "customer")))
        # a conversation changed elsewhere (another instance, an erasure) is merged Rasa's way
        store.red.set(store.key_prefix + "customer", store.serialise_tracker(first))
        await store.save(second)

    stored_then: List[Any] = []
    asyncio.run(save_in_turn(theirs))
    asyncio.run(save_in_turn(mine))
    assert json.loads(mine.red.get(mine.key_prefix + "customer")) == json.loads(
        theirs.red.get(theirs.key_prefix + "customer")
    )
    assert mine_broker.published == theirs_broker.published
    assert stored_then[0] == stored_then[1]
    assert [event["event"] for event in stored_then[1]["events"]].count("session_started") == 2
