"""Customer messages written by Rasa's own SQL event broker reach the transcript once, across restarts."""
from __future__ import annotations

import time
from pathlib import Path

import aiohttp
import pytest
from rasa.core.brokers.sql import SQLEventBroker
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.handoff.agent_repository import AgentRepository
from bot.handoff.broker_sql import SqlBrokerTail
from bot.handoff.business_hours import BusinessHours
from bot.handoff.desk import EscalationRequest, HandoffDesk
from bot.handoff.live_updates import LiveUpdates
from bot.handoff.models import AgentStatus, Sender
from bot.handoff.rasa_client import RasaClient


def _user_event(conversation_id: str, text: str, timestamp: float) -> dict:
    return {"event": "user", "sender_id": conversation_id, "text": text, "timestamp": timestamp,
            "message_id": f"{conversation_id}-{timestamp}", "parse_data": {"intent": {"name": "inform"}}}


async def _desk(engine: Engine, session: aiohttp.ClientSession) -> HandoffDesk:
    hours = BusinessHours.parse("Mon-Sun 00:00-24:00", "UTC")
    return HandoffDesk(engine, hours, RasaClient("http://127.0.0.1:9", session), LiveUpdates())


async def test_messages_of_conversations_in_handoff_are_recorded_once(engine: Engine, tmp_path: Path) -> None:
    events_db = tmp_path / "events.db"
    broker = SQLEventBroker(db=str(events_db))
    dana = AgentRepository(engine).create("dana", "Dana", "password-123")
    AgentRepository(engine).set_status(dana.id, AgentStatus.ONLINE)

    async with aiohttp.ClientSession() as session:
        desk = await _desk(engine, session)
        updates = desk.live.subscribe()
        broker.publish(_user_event("conv-1", "said before the handoff", time.time() - 60))
        await desk.escalate(EscalationRequest("conv-1", "rest", "customer_request", {}))
        await updates.get()  # handoff_opened
        broker.publish(_user_event("conv-1", "where is my parcel?", time.time()))
        broker.publish(_user_event("conv-2", "not in a handoff", time.time()))
        broker.publish({"event": "bot", "sender_id": "conv-1", "text": "bot turn", "timestamp": time.time()})

        tail = SqlBrokerTail(desk, str(events_db))
        assert await tail.process_available() == 1
        pushed = await updates.get()
        assert pushed["type"] == "message" and pushed["message"]["text"] == "where is my parcel?"
        tail.close()

        # a new reader (service restart) continues after the saved cursor
        broker.publish(_user_event("conv-1", "hello?", time.time()))
        restarted = SqlBrokerTail(await _desk(engine, session), str(events_db))
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
        tail = SqlBrokerTail(await _desk(engine, session), str(tmp_path / "not-yet.db"))
        with pytest.raises(OperationalError):
            await tail.process_available()
        tail.close()
