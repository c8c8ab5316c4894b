"""Abandoned while waiting: a customer who leaves the queue before any agent claims the chat is recorded once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import List

import aiohttp
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.handoff.desk import EscalationRequest
from bot.service.handoff.records import AgentStatus
from bot.service.reports import tables as schema
from bot.service.reports.abandonment import AbandonmentWatch
from bot.service.reports.dataset import load_dataset
from bot.service.reports.figures import summarise
from bot.service.reports.tables import create_report_tables
from tests.support.handoff_fixtures import (
    StandInRasa,
    desk_for,
)

NOON = datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def abandonments_in(engine: Engine) -> List[tuple[int, datetime, str]]:
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
    assert abandonments_in(engine) == [(quiet["handoff_id"], NOON + timedelta(minutes=25), "silent")]
    day = summarise(load_dataset(engine, NOON, NOON + timedelta(hours=1), clock.now), NOON, NOON + timedelta(hours=1))
    assert day["abandoned"] == 1 and day["escalated"] == 1
