"""Waiting customers hear their new place in the queue once per change, however the claims come."""

from __future__ import annotations

import asyncio
from typing import Dict, List

import aiohttp
from sqlalchemy.engine import Engine

from bot.service.handoff import customer_texts
from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.records import Agent, AgentStatus
from tests.support.handoff_fixtures import StandInRasa, desk_for

CUSTOMERS = 8
POSITION_TEXTS = {customer_texts.queue_position_changed(n): n for n in range(1, CUSTOMERS + 1)}


async def _queue_of(desk: HandoffDesk, size: int) -> List[int]:
    ids = []
    for n in range(size):
        opened = await desk.escalate(EscalationRequest(f"conv-{n}", "rest", "customer_request", {}))
        assert opened["queue_position"] == n + 1
        ids.append(opened["handoff_id"])
    return ids


def _agents(desk: HandoffDesk, count: int) -> List[Agent]:
    repository = desk.agents
    agents = [repository.create(f"agent{n}", f"Agent {n}", "password-123", 10) for n in range(count)]
    for agent in agents:
        repository.set_status(agent.id, AgentStatus.ONLINE)
    return agents


def _notices(stand_in: StandInRasa) -> Dict[str, List[int]]:
    """Per customer, the positions they were told, in order."""
    return {
        f"conv-{n}": [POSITION_TEXTS[text] for text in stand_in.bot_texts(f"conv-{n}") if text in POSITION_TEXTS]
        for n in range(CUSTOMERS)
    }


async def test_claims_in_sequence_send_each_customer_one_notice_per_place_they_move_up(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    [agent] = _agents(desk, 1)
    ids = await _queue_of(desk, CUSTOMERS)

    for handoff_id in ids[:3]:
        await desk.claim(handoff_id, agent)
        await desk.queue_notices.settled()

    told = _notices(stand_in)
    # claimed customers heard each move until their own claim; the rest one notice per claim ahead
    assert told["conv-0"] == []
    assert told["conv-1"] == [1]
    assert told["conv-2"] == [2, 1]
    for n in range(3, CUSTOMERS):
        assert told[f"conv-{n}"] == [n, n - 1, n - 2], n
    assert sum(len(positions) for positions in told.values()) == 3 + 3 * (CUSTOMERS - 3)


async def test_claims_racing_each_other_never_repeat_a_place_or_tell_an_old_one(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    agents = _agents(desk, 4)
    ids = await _queue_of(desk, CUSTOMERS)

    await asyncio.gather(*(desk.claim(handoff_id, agent) for handoff_id, agent in zip(ids[:4], agents, strict=True)))
    await desk.queue_notices.settled()

    told = _notices(stand_in)
    for n in range(4, CUSTOMERS):
        positions = told[f"conv-{n}"]
        # strictly falling (no repeats, never an older place after a newer one), ending where they are
        assert positions and positions == sorted(set(positions), reverse=True), (n, positions)
        assert positions[-1] == n - 3
    # one claim after the burst moves everyone once more, with one notice each
    await desk.claim(ids[4], agents[0])
    await desk.queue_notices.settled()
    after = _notices(stand_in)
    for n in range(5, CUSTOMERS):
        assert after[f"conv-{n}"][len(told[f"conv-{n}"]) :] == [n - 4]


async def test_a_notice_rasa_never_got_is_sent_with_the_next_change(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    [agent] = _agents(desk, 1)
    ids = await _queue_of(desk, 3)
    stand_in.stop()
    await desk.claim(ids[0], agent)
    await desk.queue_notices.settled()
    stand_in.start()
    await desk.claim(ids[1], agent)
    await desk.queue_notices.settled()
    # conv-2 missed "number 2" while Rasa was down; it hears where it is now, once
    assert [text for text in stand_in.bot_texts("conv-2") if text in POSITION_TEXTS] == [
        customer_texts.queue_position_changed(1)
    ]
