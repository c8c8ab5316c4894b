"""Closing a chat against a stand-in Rasa: never half done, retried until Rasa has it, safe to repeat."""

from __future__ import annotations

import asyncio
from typing import List, Tuple

import aiohttp
import pytest
from sqlalchemy.engine import Engine

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.errors import Conflict, NotFound
from bot.service.handoff.records import Agent, AgentStatus, CloseOutcome, Handoff, HandoffStatus
from tests.support.handoff_fixtures import StandInRasa, desk_for, settles

CLOSED_NOTICE = "Dana has closed this chat. Thanks for talking to us."


async def _active_chat(desk: HandoffDesk, stand_in: StandInRasa) -> Tuple[Handoff, Agent]:
    agents = desk.agents
    agent = agents.create("dana", "Dana", "password-123", 10)
    agents.set_status(agent.id, AgentStatus.ONLINE)
    opened = await desk.escalate(EscalationRequest("conv-1", "rest", "customer_request", {}))
    handoff = await desk.claim(opened["handoff_id"], agent)
    await desk.settled()
    assert len(stand_in.bot_texts("conv-1")) == 1  # the greeting
    return handoff, agent


def _rasa_calls(stand_in: StandInRasa) -> List[str]:
    return [event["event"] for event in stand_in.events("conv-1") if event["event"] in ("resume", "user")]


async def test_a_close_rasa_cannot_take_stays_closing_and_finishes_when_rasa_is_back(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk, stand_in)
    stand_in.stop()

    closing = await desk.close(handoff.id, dana, CloseOutcome.RESOLVED)

    # not active (the customer is not left with an open chat nobody answers), not closed either
    assert closing.status is HandoffStatus.CLOSING and closing.closed_at is None
    assert AgentRepository(engine).active_chat_count(dana.id) == 0
    with pytest.raises(Conflict):
        await desk.relay_agent_message(handoff.id, dana, "too late")
    # the conversation is still paused: what the customer writes meanwhile reaches the agent
    assert await desk.record_customer_message("conv-1", "hello?", "event-1", desk.clock())
    # asking again reports the close under way
    assert (await desk.close(handoff.id, dana, CloseOutcome.RESOLVED)).status is HandoffStatus.CLOSING

    updates = desk.live.subscribe()
    kinds: List[str] = []

    def closed_was_announced() -> bool:
        kinds.extend(updates.get_nowait()["type"] for _ in range(updates.qsize()))
        return "handoff_closed" in kinds

    stand_in.start()
    worker = asyncio.ensure_future(desk.delivery.run_forever())
    try:
        assert await settles(closed_was_announced)
        await asyncio.sleep(0.2)
    finally:
        worker.cancel()
    assert desk.queue.get(handoff.id).status is HandoffStatus.CLOSED
    assert stand_in.bot_texts("conv-1")[1:] == [CLOSED_NOTICE, "How would you rate the help you got today?"]
    assert _rasa_calls(stand_in) == ["resume", "user"] and not stand_in.paused("conv-1")
    closed_was_announced()
    assert kinds.count("handoff_closed") == 1


async def test_a_hand_back_rasa_did_not_confirm_is_finished_without_resuming_or_rating_twice(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk, stand_in)
    # the resume goes through, the trigger is stored but answered too late
    stand_in.delay_seconds, stand_in.slow_routes = 0.6, {"trigger_intent"}

    closing = await desk.close(handoff.id, dana, CloseOutcome.BACK_TO_BOT)

    assert closing.status is HandoffStatus.CLOSING
    stand_in.delay_seconds = 0
    await asyncio.sleep(0.35)
    await desk.delivery.deliver_due()
    assert desk.queue.get(handoff.id).status is HandoffStatus.CLOSED
    assert desk.queue.get(handoff.id).outcome is CloseOutcome.BACK_TO_BOT
    assert _rasa_calls(stand_in) == ["resume", "user"]
    assert stand_in.calls("conv-1").count("trigger_intent") == 1


async def test_closing_again_is_safe_and_a_different_outcome_is_refused(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk, stand_in)
    closed = await desk.close(handoff.id, dana, CloseOutcome.RESOLVED)
    assert closed.status is HandoffStatus.CLOSED

    again = await desk.close(handoff.id, dana, CloseOutcome.RESOLVED)

    assert again.status is HandoffStatus.CLOSED and again.closed_at == closed.closed_at
    with pytest.raises(Conflict, match="already closed as resolved"):
        await desk.close(handoff.id, dana, CloseOutcome.BACK_TO_BOT)
    assert stand_in.bot_texts("conv-1").count(CLOSED_NOTICE) == 1
    assert stand_in.calls("conv-1").count("trigger_intent") == 1


async def test_a_hand_back_rasa_refuses_gives_the_chat_back_to_the_agent(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk, stand_in)
    updates = desk.live.subscribe()
    stand_in.fail_status = 400

    reopened = await desk.close(handoff.id, dana, CloseOutcome.BACK_TO_BOT)

    assert reopened.status is HandoffStatus.ACTIVE and reopened.outcome is None
    kinds = [update["type"] for update in [updates.get_nowait() for _ in range(updates.qsize())]]
    assert kinds == ["handoff_closing", "handoff_close_failed"]
    stand_in.fail_status = None
    assert (await desk.close(handoff.id, dana, CloseOutcome.BACK_TO_BOT)).status is HandoffStatus.CLOSED


@pytest.mark.parametrize("handoff_id", [2**63, 2**63 + 1, 2**64, 2**31, -1, 0])
async def test_ids_no_handoff_can_have_are_not_found(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, handoff_id: int
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    agent = AgentRepository(engine).create("dana", "Dana", "password-123")
    for attempt in (
        desk.require(handoff_id),
        desk.claim(handoff_id, agent),
        desk.relay_agent_message(handoff_id, agent, "hi"),
        desk.add_note(handoff_id, agent, "x"),
        desk.close(handoff_id, agent, CloseOutcome.RESOLVED),
    ):
        with pytest.raises(NotFound):
            await attempt
