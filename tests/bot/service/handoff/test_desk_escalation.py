"""The desk decides an escalation by its own clock: the same answer whatever day and hour the tests run."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict

import aiohttp
from sqlalchemy.engine import Engine

from bot.service.handoff.agent_repository import PRESENCE_TIMEOUT
from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.records import AgentStatus
from tests.support.handoff_fixtures import SATURDAY_NIGHT, WEDNESDAY_NOON, clock_starting_at, desk_for

NO_RASA = "http://127.0.0.1:9"


def _desk_with_dana_online(engine: Engine, session: aiohttp.ClientSession, start: datetime) -> HandoffDesk:
    desk = desk_for(engine, session, NO_RASA, clock_starting_at(start))
    desk.agents.set_status(desk.agents.create("dana", "Dana", "password-123").id, AgentStatus.ONLINE)
    return desk


async def _escalate(desk: HandoffDesk, conversation_id: str) -> Dict[str, Any]:
    return await desk.escalate(EscalationRequest(conversation_id, "rest", "customer_request", {}))


async def test_on_a_saturday_night_the_customer_is_told_when_the_team_opens(
    engine: Engine, http_session: aiohttp.ClientSession
) -> None:
    desk = _desk_with_dana_online(engine, http_session, SATURDAY_NIGHT)

    answer = await _escalate(desk, "conv-night")

    assert (answer["mode"], answer["offline_reason"]) == ("offline", "closed")
    assert answer["next_opening"] == "2026-07-06T09:00:00+01:00"
    assert answer["reply_by"] == "after we open on Monday at 09:00 BST"
    assert desk.queue.open_for_conversation("conv-night") is None


async def test_on_a_wednesday_at_noon_with_an_agent_online_the_customer_is_queued(
    engine: Engine, http_session: aiohttp.ClientSession
) -> None:
    desk = _desk_with_dana_online(engine, http_session, WEDNESDAY_NOON)

    answer = await _escalate(desk, "conv-noon")

    assert (answer["mode"], answer["queue_position"], answer["agents_online"]) == ("live", 1, 1)
    handoff = desk.queue.open_for_conversation("conv-noon")
    assert handoff is not None and handoff.created_at >= WEDNESDAY_NOON


async def test_an_agent_the_desk_has_not_heard_from_lately_does_not_count_as_online(
    engine: Engine, http_session: aiohttp.ClientSession
) -> None:
    desk = _desk_with_dana_online(engine, http_session, WEDNESDAY_NOON)
    dana = desk.agents.find("dana")
    assert dana is not None
    desk.agents.mark_seen(dana.id, desk.clock() - PRESENCE_TIMEOUT - timedelta(seconds=1))

    answer = await _escalate(desk, "conv-quiet")

    assert (answer["mode"], answer["offline_reason"], answer["agents_online"]) == ("offline", "no_agents", 0)
