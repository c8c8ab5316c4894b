"""Abandoned while waiting: a customer who leaves the queue before any agent claims the chat is recorded once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator, List

import aiohttp
import pytest
import requests
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.handoff.desk import EscalationRequest
from bot.service.handoff.records import AgentStatus
from bot.service.reports import tables as schema
from bot.service.reports.abandonment import AbandonmentWatch
from bot.service.reports.dataset import load_dataset
from bot.service.reports.figures import summarise
from bot.service.reports.tables import create_report_tables
from bot.shared.settings import Settings
from bot.shared.webchat.session_proof import PROOF_HEADER, new_session
from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    StandInRasa,
    auth,
    desk_for,
    escalate,
    service_settings,
)

NOON = datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)
SESSION_SECRET = "presence-test-session-secret-0123456789"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _abandonments(engine: Engine) -> List[tuple[int, datetime, str]]:
    table = schema.abandonments
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.handoff_id, table.c.left_at, table.c.how).order_by(table.c.id))
        return [(row.handoff_id, row.left_at.replace(tzinfo=timezone.utc), row.how) for row in rows]


async def test_a_customer_silent_in_the_queue_past_the_timeout_has_abandoned(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    clock = Clock(NOON)
    desk = desk_for(engine, http_session, stand_in.url, clock)
    create_report_tables(engine)
    dana = desk.agents.create("dana", "Dana", "password-123", 1)
    desk.agents.set_status(dana.id, AgentStatus.ONLINE)
    quiet = await desk.escalate(EscalationRequest("mail-quiet", "email", "customer_request", {}))
    watch, other_instance = AbandonmentWatch(engine, clock), AbandonmentWatch(engine, clock)

    clock.now = NOON + timedelta(minutes=20)
    assert watch.sweep() == 0
    await desk.record_customer_message("mail-quiet", "any news?", "quiet-1", NOON + timedelta(minutes=25))
    clock.now = NOON + timedelta(minutes=50)
    assert watch.sweep() == 0  # 25 minutes since the customer's last message
    clock.now = NOON + timedelta(minutes=56)

    assert watch.sweep() == 1
    assert watch.sweep() == 0 and other_instance.sweep() == 0
    assert _abandonments(engine) == [(quiet["handoff_id"], NOON + timedelta(minutes=25), "silent")]
    day = summarise(load_dataset(engine, NOON, NOON + timedelta(hours=1), clock.now), NOON, NOON + timedelta(hours=1))
    assert day["abandoned"] == 1 and day["escalated"] == 1


@pytest.fixture
def settings(handoff_database: HandoffDatabase, tmp_path: Path) -> Settings:
    return replace(service_settings(handoff_database, tmp_path), webchat_session_secret=SESSION_SECRET)


@pytest.fixture
def running(settings: Settings, handoff_database: HandoffDatabase) -> Iterator[RunningService]:
    service = RunningService(settings, handoff_database.schema).start()
    yield service
    service.stop()


def test_a_web_chat_closed_or_gone_quiet_while_queued_has_abandoned(
    running: RunningService, settings: Settings, engine: Engine, create_agent: Callable[..., str]
) -> None:
    token = create_agent(running, "dana", max_chats=1)
    sessions = {name: new_session(settings.webchat_session_secret) for name in ("closes", "drops", "served")}
    handoffs = {name: escalate(running, session_id).json() for name, (session_id, _) in sessions.items()}
    assert all(handoff["mode"] == "live" for handoff in handoffs.values())

    def presence(name: str, here: object, proof: str = "") -> requests.Response:
        session_id, session_proof = sessions[name]
        return requests.post(
            f"{running.url}/webchat/presence/{session_id}",
            json={"here": here},
            headers={PROOF_HEADER: proof or session_proof},
            timeout=10,
        )

    for name in sessions:
        assert presence(name, True).json() == {"recorded": True}
    claimed = requests.post(
        f"{running.url}/api/handoffs/{handoffs['served']['handoff_id']}/claim", headers=auth(token), timeout=10
    )
    assert claimed.status_code == 200, claimed.text
    assert presence("served", True).json() == {"recorded": False}  # an agent has it: nobody is waiting
    assert presence("closes", False).json() == {"recorded": True}
    assert presence("drops", "maybe").status_code == 400
    assert presence("drops", True, proof="forged").status_code == 404
    signalled_at = datetime.now(timezone.utc)

    # the service's own watch sweeps every 15 s on the real clock; a watch three minutes ahead decides now
    watch = AbandonmentWatch(engine, lambda: signalled_at + timedelta(minutes=3))
    watch.sweep()

    found = {handoff_id: how for handoff_id, _left_at, how in _abandonments(engine)}
    assert found == {
        handoffs["closes"]["handoff_id"]: "closed_chat",
        handoffs["drops"]["handoff_id"]: "disconnected",
    }
    assert all(abs(left_at - signalled_at) < timedelta(minutes=1) for _, left_at, _ in _abandonments(engine))
    with engine.connect() as connection:
        assert connection.execute(select(schema.chat_presence)).all() == []  # kept only while a chat waits
