"""Customer messages written by Rasa's own SQL event broker reach the transcript once, across restarts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import aiohttp
import pytest
from rasa.core.brokers.sql import SQLEventBroker
from sqlalchemy import create_engine, event
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.service.handoff.broker_sql import BrokerCursor, SqlBrokerTail
from bot.service.handoff.broker_table import BATCH_SIZE
from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.records import AgentStatus, CloseOutcome, Sender
from tests.support.handoff_fixtures import broker_desk


def _now(desk: HandoffDesk) -> float:
    """Rasa stamps events with the time it read them: here, the desk's own clock."""
    return desk.clock().timestamp()


def _user_event(conversation_id: str, text: str, timestamp: float) -> dict:
    return {
        "event": "user",
        "sender_id": conversation_id,
        "text": text,
        "timestamp": timestamp,
        "message_id": f"{conversation_id}-{timestamp}",
        "parse_data": {"intent": {"name": "inform"}},
    }


async def test_messages_of_conversations_in_handoff_are_recorded_once(engine: Engine, tmp_path: Path) -> None:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))

    async with aiohttp.ClientSession() as session:
        desk = broker_desk(engine, session)
        desk.agents.set_status(desk.agents.create("dana", "Dana", "password-123").id, AgentStatus.ONLINE)
        updates = desk.live.subscribe()
        broker.publish(_user_event("conv-1", "said before the handoff", _now(desk) - 60))
        await desk.escalate(EscalationRequest("conv-1", "rest", "customer_request", {}))
        await updates.get()  # handoff_opened
        broker.publish(_user_event("conv-1", "where is my parcel?", _now(desk)))
        broker.publish(_user_event("conv-2", "not in a handoff", _now(desk)))
        broker.publish({"event": "bot", "sender_id": "conv-1", "text": "bot turn", "timestamp": _now(desk)})

        tail = SqlBrokerTail(desk, str(events_db))
        assert await tail.process_available() == 1
        pushed = await updates.get()
        assert pushed["type"] == "message" and pushed["message"]["text"] == "where is my parcel?"
        tail.close()

        # a new reader (service restart) continues after the saved cursor
        broker.publish(_user_event("conv-1", "hello?", _now(desk)))
        restarted = SqlBrokerTail(broker_desk(engine, session, desk.clock), str(events_db))
        assert await restarted.process_available() == 1
        restarted.close()

    handoff = desk.queue.open_for_conversation("conv-1")
    messages = desk.transcripts.messages(handoff.id)
    assert [(m.sender, m.text) for m in messages] == [
        (Sender.CUSTOMER, "where is my parcel?"),
        (Sender.CUSTOMER, "hello?"),
    ]


async def test_a_missing_events_table_is_waited_for(engine: Engine, tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as session:
        tail = SqlBrokerTail(broker_desk(engine, session), str(tmp_path / "not-yet.db"))
        with pytest.raises(OperationalError):
            await tail.process_available()
        tail.close()


async def _chat_in_handoff(engine: Engine, session: aiohttp.ClientSession, conversation_id: str) -> HandoffDesk:
    desk = broker_desk(engine, session)
    desk.agents.set_status(desk.agents.create("dana", "Dana", "password-123").id, AgentStatus.ONLINE)
    await desk.escalate(EscalationRequest(conversation_id, "rest", "customer_request", {}))
    return desk


async def test_a_reader_stopped_between_storing_and_moving_the_cursor_loses_and_repeats_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    async with aiohttp.ClientSession() as session:
        desk = await _chat_in_handoff(engine, session, "conv-1")
        texts = [f"message {n}" for n in range(6)]
        for n, text in enumerate(texts):
            broker.publish(_user_event("conv-1", text, _now(desk) + n / 1000))
        updates = desk.live.subscribe()

        stopped = SqlBrokerTail(desk, str(events_db))
        reading = asyncio.ensure_future(stopped.process_available())
        first = await asyncio.wait_for(updates.get(), 10)
        reading.cancel()  # the first message is stored; the batch's cursor is not saved yet
        with pytest.raises(asyncio.CancelledError):
            await reading
        stopped.close()
        assert BrokerCursor(engine).load() == 0

        restarted = SqlBrokerTail(desk, str(events_db))
        await restarted.process_available()
        restarted.close()
        pushed = [first] + [updates.get_nowait() for _ in range(updates.qsize())]

    handoff = desk.queue.open_for_conversation("conv-1")
    assert [message.text for message in desk.transcripts.messages(handoff.id)] == texts
    # the consoles were told of each message once, across both readers
    assert [update["message"]["text"] for update in pushed] == texts
    assert BrokerCursor(engine).load() > 0


async def test_a_message_written_during_the_chat_but_read_after_it_closed_still_reaches_the_agent(
    engine: Engine, tmp_path: Path
) -> None:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    async with aiohttp.ClientSession() as session:
        desk = await _chat_in_handoff(engine, session, "conv-1")
        handoff = desk.queue.open_for_conversation("conv-1")
        dana = desk.agents.find("dana")
        desk.queue.claim(handoff.id, dana.id, 3)
        # written while the chat was active; the service was down and reads it only now
        broker.publish(_user_event("conv-1", "one more question", _now(desk)))
        await asyncio.sleep(0.01)
        assert desk.queue.close(handoff.id, dana.id, CloseOutcome.RESOLVED)
        broker.publish(_user_event("conv-1", "written after the close", _now(desk) + 1))

        tail = SqlBrokerTail(desk, str(events_db))
        assert await tail.process_available() == 1
        tail.close()
    assert [message.text for message in desk.transcripts.messages(handoff.id)] == ["one more question"]


async def test_a_message_no_database_can_store_as_it_is_does_not_stop_the_reader(
    engine: Engine, tmp_path: Path
) -> None:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    async with aiohttp.ClientSession() as session:
        desk = await _chat_in_handoff(engine, session, "conv-1")
        now = _now(desk)
        # PostgreSQL refuses NUL in text and no encoder takes a lone surrogate
        broker.publish(_user_event("conv-1", "nul \x00 here", now))
        broker.publish({**_user_event("conv-1", "lone \ud800 surrogate", now + 0.001), "message_id": "m-\ud800"})
        broker.publish(_user_event("conv-1", "and the next one", now + 0.002))
        tail = SqlBrokerTail(desk, str(events_db))
        assert await tail.process_available() == 3
        tail.close()
    handoff = desk.queue.open_for_conversation("conv-1")
    assert [message.text for message in desk.transcripts.messages(handoff.id)] == [
        "nul \ufffd here",
        "lone \ufffd surrogate",
        "and the next one",
    ]


async def test_an_event_committed_after_a_later_one_is_still_read(engine: Engine, tmp_path: Path) -> None:
    """Several Rasa processes on PostgreSQL: id 2 may become visible after id 3. The rows are written
    with explicit ids here to show the reader that order."""
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    async with aiohttp.ClientSession() as session:
        desk = await _chat_in_handoff(engine, session, "conv-1")
        now = _now(desk)
        broker.publish(_user_event("conv-1", "first", now))
        events = create_engine(f"sqlite:///{events_db}", future=True)

        def commit(event_id: int, text: str, offset: float) -> None:
            with events.begin() as connection:
                connection.execute(
                    sql_text("INSERT INTO events (id, sender_id, data) VALUES (:id, 'conv-1', :data)"),
                    {"id": event_id, "data": json.dumps(_user_event("conv-1", text, now + offset))},
                )

        commit(3, "third", 0.003)
        tail = SqlBrokerTail(desk, str(events_db))
        assert await tail.process_available() == 2
        assert BrokerCursor(engine).load() == 1  # held before the hole at 2
        commit(2, "second, committed late", 0.002)
        assert await tail.process_available() == 1
        assert BrokerCursor(engine).load() == 3
        tail.close()
        events.dispose()
    handoff = desk.queue.open_for_conversation("conv-1")
    assert sorted(message.text for message in desk.transcripts.messages(handoff.id)) == [
        "first",
        "second, committed late",
        "third",
    ]


@pytest.fixture
def statements() -> Iterator[List[Tuple[str, Any]]]:
    """Every statement any engine sends while the test runs, with its parameters."""
    seen: List[Tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


async def test_only_the_events_of_conversations_in_handoff_are_read_in_full(
    engine: Engine, tmp_path: Path, statements: List[Tuple[str, Any]]
) -> None:
    """Among more than two batches of other conversations' events: each message once, in order, across polls."""
    events_db = tmp_path / "events.db"
    SQLEventBroker(db=str(events_db))  # creates the table as Rasa does
    events = create_engine(f"sqlite:///{events_db}", future=True)
    async with aiohttp.ClientSession() as session:
        desk = await _chat_in_handoff(engine, session, "conv-1")
        now = _now(desk)
        rows, texts, wanted_ids = [], [], []
        for n in range(1, 2 * BATCH_SIZE + 200):
            if n % 97 == 0:
                texts.append(f"message {n}")
                wanted_ids.append(n)
                rows.append({"id": n, "s": "conv-1", "d": json.dumps(_user_event("conv-1", texts[-1], now + n / 1e4))})
            else:
                other = _user_event(f"other-{n % 20}", "not for an agent", now) if n % 3 else "not even JSON"
                rows.append({"id": n, "s": f"other-{n % 20}", "d": json.dumps(other)})
        insert = sql_text("INSERT INTO events (id, sender_id, data) VALUES (:id, :s, :d)")
        with events.begin() as connection:
            connection.execute(insert, rows[: BATCH_SIZE + 50])
        tail = SqlBrokerTail(desk, str(events_db))
        first = await tail.process_available()
        with events.begin() as connection:
            connection.execute(insert, rows[BATCH_SIZE + 50 :])
        second = await tail.process_available()
        assert await tail.process_available() == 0
        tail.close()
        events.dispose()

    assert first + second == len(texts) and first > 0 and second > 0
    handoff = desk.queue.open_for_conversation("conv-1")
    assert [message.text for message in desk.transcripts.messages(handoff.id)] == texts
    assert BrokerCursor(engine).load() == len(rows)
    read_in_full = [
        parameters
        for statement, parameters in statements
        if "FROM events" in statement and "data" in statement.split("FROM")[0]
    ]
    assert sorted(event_id for parameters in read_in_full for event_id in parameters) == wanted_ids


async def test_the_cursor_is_read_from_the_database_once_per_reader(
    engine: Engine, tmp_path: Path, statements: List[Tuple[str, Any]]
) -> None:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    async with aiohttp.ClientSession() as session:
        desk = await _chat_in_handoff(engine, session, "conv-1")
        tail = SqlBrokerTail(desk, str(events_db))
        for n in range(5):
            broker.publish(_user_event("conv-1", f"message {n}", _now(desk) + n / 1000))
            assert await tail.process_available() == 1
            assert await tail.process_available() == 0
        tail.close()
        cursor_reads = [
            statement
            for statement, _ in statements
            if statement.lstrip().startswith("SELECT") and "FROM handoff_broker_cursors" in statement
        ]
        assert BrokerCursor(engine).load() == 5

    assert len(cursor_reads) == 1
