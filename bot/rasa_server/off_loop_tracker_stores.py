"""Rasa's SQL and Redis tracker stores with their database work off the event loop, and done once per save.

Rasa 3.6's `SQLTrackerStore` and `RedisTrackerStore` declare async methods but call their synchronous
clients inside them, so every read and write of a conversation stops the Rasa server's event loop, and
all other conversations with it. Saving also reads the whole conversation back first, only to find
which events are new for the event broker. These subclasses keep the stores' tables, keys and formats:

- every store call runs on one thread of the store's own, so the loop goes on parsing and predicting;
- a save reads what is stored once and takes the new events from that reading;
- the SQL event broker gets a save's new events in one transaction instead of one commit per event
  (same rows, same order); any other broker is published to from the loop, as Rasa does;
- an SQLite file is used through one kept connection instead of one opened and closed per session;
- the SQL store reads, counts and writes through statements built once (`sql_event_statements`) instead
  of ORM queries and objects built per call.

`install()` (the Rasa launcher calls it first) makes `type: SQL` and `type: redis` in the endpoints file
build these.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Coroutine, Iterable, List, Optional, Text, TypeVar

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker, get_trackers_for_conversation_sessions

from bot.rasa_server.sql_event_statements import SENDER, EventStatements, event_rows

Result = TypeVar("Result")


def completed(coroutine: Coroutine[Any, Any, Result]) -> Result:
    """The value of a coroutine that never waits (Rasa's store methods are `async` but synchronous inside)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("the store method waited on the event loop")


class _StoreThread:
    """One thread per store: calls to it run in order, and the SQLite file sees one writer of this process."""

    def __init__(self) -> None:
        self._executor: Optional[ThreadPoolExecutor] = None

    async def run(self, call: Callable[..., Result], *arguments: Any) -> Result:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-store")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *arguments))


def _publish_in_one_transaction(broker: SQLEventBroker, sender_id: Text, events: List[Event]) -> None:
    rows = [
        {"sender_id": sender_id, "data": json.dumps({"sender_id": sender_id, **event.as_dict()})} for event in events
    ]
    with broker.session_scope() as session:
        session.execute(broker.SQLBrokerEvent.__table__.insert(), rows)
        session.commit()


def _kept_connection(store: Any) -> None:
    """An SQLite file of `store` (Rasa's SQL tracker store or event broker) used through one kept connection.

    SQLAlchemy gives file-based SQLite a `NullPool`: every session of Rasa's stores opened a new connection
    and closed it, and closing the last connection to a WAL file checkpoints it (an fsync each time). All
    calls run on the store's one thread, so one connection for that thread serves them all.
    """
    import sqlalchemy
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import SingletonThreadPool

    if store.engine.url.get_backend_name() != "sqlite" or store.engine.url.database in (None, "", ":memory:"):
        return
    url = store.engine.url
    store.engine.dispose()
    store.engine = sqlalchemy.create_engine(url, poolclass=SingletonThreadPool, pool_size=1)
    store.sessionmaker = sessionmaker(bind=store.engine)


class OffLoopSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, run on a thread of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._thread = _StoreThread()
        self._statements = EventStatements.of(self.SQLEvent.__table__)
        _kept_connection(self)
        if isinstance(self.event_broker, SQLEventBroker):
            _kept_connection(self.event_broker)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._thread.run(self._read, sender_id, self._statements.latest_session_data)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._thread.run(self._read, conversation_id, self._statements.all_sessions_data)

    def _read(self, sender_id: Text, statement: Any) -> Optional[DialogueStateTracker]:
        """What Rasa's `_retrieve` returns, from the data column alone."""
        with self.session_scope() as session:
            stored = session.execute(statement, {SENDER: sender_id}).scalars().all()
        events = [json.loads(data) for data in stored]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def keys(self) -> Iterable[Text]:
        return await self._thread.run(completed, SQLTrackerStore.keys(self))

    async def save(self, tracker: DialogueStateTracker) -> None:
        unpublished = await self._thread.run(self._store_new_events, tracker)
        if unpublished:
            await self._stream_new_events(self.event_broker, unpublished, tracker.sender_id)  # type: ignore[arg-type]

    def _store_new_events(self, tracker: DialogueStateTracker) -> List[Event]:
        """Stores the events not stored yet; returns those still to publish (none for the SQL broker)."""
        with self.session_scope() as session:
            stored = session.execute(self._statements.latest_session_count, {SENDER: tracker.sender_id}).scalar_one()
            new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            if not new_events:
                return []
            unpublished: List[Event] = []
            if isinstance(self.event_broker, SQLEventBroker):
                _publish_in_one_transaction(self.event_broker, tracker.sender_id, new_events)
            elif self.event_broker is not None:
                unpublished = new_events
            session.execute(self._statements.insert, event_rows(tracker.sender_id, new_events, json.dumps))
            session.commit()
        return unpublished


def _extends_one_session(stored: Any, tracker: DialogueStateTracker) -> bool:
    """Whether the stored conversation is one session and the tracker's events begin with exactly its events.

    Then Rasa's save (rebuild the stored tracker, split it into sessions, merge) comes to storing the
    tracker as it is, with the events after the stored ones as the new ones; anything else takes Rasa's way.
    """
    try:
        events = json.loads(stored)["events"]
    except (ValueError, TypeError, KeyError):
        return False
    if not isinstance(events, list) or len(events) > len(tracker.events):
        return False
    if sum(1 for event in events if isinstance(event, dict) and event.get("event") == "session_started") > 1:
        return False
    return all(event == known.as_dict() for event, known in zip(events, tracker.events, strict=False))


class OffLoopRedisTrackerStore(RedisTrackerStore):
    """Rasa's Redis tracker store, run on a thread of its own, reading a conversation once per save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._thread = _StoreThread()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._thread.run(completed, RedisTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._thread.run(completed, RedisTrackerStore.retrieve_full_tracker(self, sender_id))

    async def keys(self) -> Iterable[Text]:
        return await self._thread.run(completed, RedisTrackerStore.keys(self))

    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        new_events = await self._thread.run(self._store, tracker, timeout or self.record_exp)
        if new_events and self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    def _store(self, tracker: DialogueStateTracker, timeout: Optional[float]) -> List[Event]:
        """Writes the conversation; returns the events the stored one did not have yet."""
        key = self.key_prefix + tracker.sender_id
        stored = self.red.get(key)
        if stored is not None and _extends_one_session(stored, tracker):
            # what Rasa's merge returns then: the tracker as it is, without rebuilding the stored one
            offset = len(json.loads(stored)["events"])
            self.red.set(key, self.serialise_tracker(tracker), ex=timeout)
            return list(itertools.islice(tracker.events, offset, len(tracker.events)))
        prior = self.deserialise_tracker(tracker.sender_id, stored) if stored is not None else None
        offset = len(self._latest_session(prior).events) if prior is not None else 0
        new_events = list(itertools.islice(tracker.events, offset, len(tracker.events)))
        merged = self._merge_trackers(prior, tracker) if prior is not None else tracker
        self.red.set(key, self.serialise_tracker(merged), ex=timeout)
        return new_events

    @staticmethod
    def _latest_session(tracker: DialogueStateTracker) -> DialogueStateTracker:
        """What Rasa's `retrieve` returns: the latest session, or the whole conversation if it has one."""
        sessions = get_trackers_for_conversation_sessions(tracker)
        return tracker if len(sessions) <= 1 else sessions[-1]


def install() -> None:
    """`type: SQL` and `type: redis` tracker stores are built from these classes from now on."""
    from rasa.core import tracker_store

    tracker_store.SQLTrackerStore = OffLoopSQLTrackerStore  # type: ignore[misc]
    tracker_store.RedisTrackerStore = OffLoopRedisTrackerStore  # type: ignore[misc]
