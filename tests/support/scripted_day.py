"""A scripted support day on a real desk: bot-only, asked-again, escalated, abandoned and rated conversations."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.records import AgentStatus, CloseOutcome
from bot.service.reports.abandonment import AbandonmentWatch
from bot.service.reports.dataset import load_dataset
from bot.service.reports.figures import summarise
from bot.service.reports.tables import create_report_tables
from bot.service.reports.turn_tail import TurnTail
from tests.support.handoff_fixtures import desk_for

DAY = datetime(2026, 7, 1, tzinfo=timezone.utc)
CUSTOMER_EMAIL = "kim.weber@example.com"
CUSTOMER_NAME = "Kim Weber"
CUSTOMER_PHONE = "+49 171 5550123"


class SteppedClock:
    """Stands still until a step moves it: every timestamp of the day is the one the script names."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, hours: int, minutes: int = 0) -> None:
        self.now = DAY + timedelta(hours=hours, minutes=minutes)
        for hook in self.moved:
            hook()

    moved: List[Any] = []


class RasaEvents:
    """A real SQLite `events` table as Rasa's SQL broker and tracker store write it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = create_engine(f"sqlite:///{path}", future=True)
        with self.engine.begin() as connection:
            connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)"))

    def user(self, sender: str, at: datetime, text_: str, intent: str, **metadata: Any) -> None:
        event: Dict[str, Any] = {
            "event": "user",
            "sender_id": sender,
            "timestamp": at.timestamp(),
            "text": text_,
            "input_channel": "socketio",
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}},
            "metadata": metadata,
            "message_id": uuid.uuid4().hex,
        }
        self._insert(sender, event)

    def bot_reply(self, sender: str, at: datetime, text_: str) -> None:
        """The bot's line and the `action_listen` that ends the turn, as Rasa publishes them."""
        self._insert(sender, {"event": "bot", "sender_id": sender, "timestamp": at.timestamp(), "text": text_})
        listen = {"event": "action", "sender_id": sender, "timestamp": at.timestamp(), "name": "action_listen"}
        self._insert(sender, listen)

    def _insert(self, sender: str, event: Dict[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO events (sender_id, data) VALUES (:s, :d)"), {"s": sender, "d": json.dumps(event)}
            )

    def texts(self) -> List[str]:
        with self.engine.connect() as connection:
            return [row.data for row in connection.execute(text("SELECT data FROM events"))]


async def play_day(
    engine: Engine, session: aiohttp.ClientSession, rasa_url: str, events: RasaEvents, read_broker: bool = True
) -> HandoffDesk:
    """`read_broker=False` leaves the events unread, for a test that delivers them another way (RabbitMQ)."""
    clock = SteppedClock(DAY)
    desk = desk_for(engine, session, rasa_url, clock)
    create_report_tables(engine)
    dana = desk.agents.create("dana", "Dana", "password-123", 5)
    desk.agents.set_status(dana.id, AgentStatus.ONLINE)
    # Dana's console stays open all day: she is seen whenever the clock moves
    clock.moved = [lambda: desk.agents.mark_seen(dana.id)]

    def turn(
        sender: str, hours: int, minutes: int, said: str, intent: str, reply_after: Optional[float] = None
    ) -> None:
        at = DAY + timedelta(hours=hours, minutes=minutes)
        events.user(sender, at, said, intent)
        if reply_after is not None:
            events.bot_reply(sender, at + timedelta(seconds=reply_after), "...")

    # bot-only and done: contained; Rasa answered in 0.4, 1.5 and 0.3 seconds
    turn("web-bot", 9, 0, "hi", "greet", reply_after=0.4)
    turn("web-bot", 9, 1, "where is ORD-100001?", "order_status", reply_after=1.5)
    turn("web-bot", 9, 3, "thanks", "thank", reply_after=0.3)
    # answered by the bot, but the customer asks again at noon: only the second conversation is contained
    turn("web-again", 8, 0, "how long does delivery take", "delivery_time")
    turn("web-again", 12, 0, "delivery to Austria?", "delivery_time")
    # escalated, answered in 3 minutes, resolved, rated 5
    turn("web-kim", 11, 0, f"I am {CUSTOMER_NAME}, {CUSTOMER_EMAIL}, call {CUSTOMER_PHONE}", "inform")
    turn("web-kim", 11, 0, "I want to talk to a person", "human_handoff")
    clock.at(11, 0)
    context = {"slots": {"email": CUSTOMER_EMAIL, "verified": True, "verified_email": CUSTOMER_EMAIL}}
    kim = await desk.escalate(EscalationRequest("web-kim", "socketio", "customer_request", context))
    clock.at(11, 2)
    await desk.claim(kim["handoff_id"], dana)
    await desk.settled()
    clock.at(11, 3)
    await desk.relay_agent_message(kim["handoff_id"], dana, "Hello Kim, let me look")
    await desk.record_customer_message("web-kim", f"my number is {CUSTOMER_PHONE}", "kim-1", clock())
    await desk.add_note(kim["handoff_id"], dana, f"{CUSTOMER_NAME} wants a call back")
    clock.at(11, 12)
    await desk.close(kim["handoff_id"], dana, CloseOutcome.RESOLVED)
    clock.at(11, 13)
    await desk.rate("web-kim", 5, f"great, thanks - {CUSTOMER_NAME}")
    # two fallbacks, escalated, nobody claims it: abandoned
    turn("web-lost", 13, 0, "blorp", "nlu_fallback")
    turn("web-lost", 13, 1, "zzzz", "nlu_fallback")
    clock.at(13, 1)
    await desk.escalate(EscalationRequest("web-lost", "socketio", "repeated_fallback", {}))
    # escalated, answered in 7 minutes, handed back to the bot, rated 2
    turn("web-low", 14, 0, "I want a human", "human_handoff")
    clock.at(14, 0)
    low = await desk.escalate(EscalationRequest("web-low", "socketio", "customer_request", {}))
    clock.at(14, 5)
    await desk.claim(low["handoff_id"], dana)
    await desk.settled()
    clock.at(14, 7)
    await desk.relay_agent_message(low["handoff_id"], dana, "Hi, what can I do?")
    clock.at(14, 20)
    await desk.close(low["handoff_id"], dana, CloseOutcome.BACK_TO_BOT)
    clock.at(14, 21)
    await desk.rate("web-low", 2, None)
    if read_broker:
        TurnTail(engine, str(events.path)).process_available()
    # nobody claimed web-lost and its customer wrote nothing since 13:01: past the silence timeout at 18:00
    clock.at(18, 0)
    AbandonmentWatch(engine, clock).sweep()
    return desk


def report_day(engine: Engine) -> Dict[str, Any]:
    end = DAY + timedelta(days=1)
    return summarise(load_dataset(engine, DAY, end, DAY + timedelta(hours=18)), DAY, end)
