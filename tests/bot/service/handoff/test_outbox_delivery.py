"""The outbox against a stand-in Rasa: down and back, too slow to confirm, refusing, two senders, a restart."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import List, Tuple

import aiohttp
import pytest
from sqlalchemy.engine import Engine

from bot.service.handoff.delivery_evidence import DELIVERY_KEY
from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.outbox_delivery import OutboxDelivery
from bot.service.handoff.records import Agent, AgentStatus, DeliveryState, Handoff
from tests.support.handoff_fixtures import FAST_RETRIES, StandInRasa, desk_for, settles

GREETING = "Dana from our support team has joined the chat."


async def _active_chat(desk: HandoffDesk, conversation_id: str = "conv-1") -> Tuple[Handoff, Agent]:
    agents = desk.agents
    agent = agents.find("dana") or agents.create("dana", "Dana", "password-123", 10)
    agents.set_status(agent.id, AgentStatus.ONLINE)
    opened = await desk.escalate(EscalationRequest(conversation_id, "rest", "customer_request", {}))
    claimed = await desk.claim(opened["handoff_id"], agent)
    await desk.settled()  # the greeting's first delivery attempt is over
    return claimed, agent


def _deliveries(desk: HandoffDesk, handoff: Handoff) -> List[Tuple[str, str]]:
    return [(line.text, line.delivery.value) for line in desk.transcripts.messages(handoff.id) if line.delivery]


async def test_replies_written_while_rasa_is_down_reach_the_customer_once_in_order_when_it_is_back(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    stand_in.stop()
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk)
    sent = [await desk.relay_agent_message(handoff.id, dana, f"reply {n}") for n in range(1, 4)]
    assert [view["delivery"] for view in sent] == ["pending"] * 3
    assert _deliveries(desk, handoff) == [(GREETING, "pending")] + [(f"reply {n}", "pending") for n in range(1, 4)]

    updates = desk.live.subscribe()
    worker = asyncio.ensure_future(desk.delivery.run_forever())
    try:
        await asyncio.sleep(0.3)  # the worker retries against the closed port meanwhile
        assert stand_in.bot_texts("conv-1") == []
        stand_in.start()
        assert await settles(lambda: len(stand_in.bot_texts("conv-1")) == 4)
        await asyncio.sleep(0.5)  # several more polls: nothing goes out a second time
    finally:
        worker.cancel()
    assert stand_in.bot_texts("conv-1") == [GREETING, "reply 1", "reply 2", "reply 3"]
    assert _deliveries(desk, handoff) == [(GREETING, "delivered")] + [(f"reply {n}", "delivered") for n in range(1, 4)]
    pushed = [updates.get_nowait() for _ in range(updates.qsize())]
    assert [(update["type"], update["message"]["delivery"]) for update in pushed] == [
        ("message_delivery", "delivered")
    ] * 4


async def test_a_reply_rasa_stored_but_did_not_confirm_in_time_is_not_sent_again(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk)
    await desk.delivery.deliver_conversation("conv-1")
    stand_in.delay_seconds = 0.6  # the client gives up after 0.3 s; the stand-in has stored the event by then

    view = await desk.relay_agent_message(handoff.id, dana, "Your refund is on its way.")

    assert view["delivery"] == "pending"
    assert stand_in.bot_texts("conv-1") == [GREETING, "Your refund is on its way."]
    stand_in.delay_seconds = 0
    await asyncio.sleep(0.35)  # a retry waits at least the client timeout, so the slow call is over
    await desk.delivery.deliver_conversation("conv-1")
    assert _deliveries(desk, handoff)[-1] == ("Your refund is on its way.", "delivered")
    # it was found in the tracker by its key, not sent again
    assert stand_in.bot_texts("conv-1") == [GREETING, "Your refund is on its way."]
    [event] = [event for event in stand_in.events("conv-1") if event.get("text") == "Your refund is on its way."]
    assert event["metadata"]["agent"] == "Dana" and event["metadata"][DELIVERY_KEY]


async def test_a_reply_rasa_refuses_is_reported_failed_and_never_reaches_the_customer(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk)
    await desk.delivery.deliver_conversation("conv-1")
    stand_in.fail_status = 400

    view = await desk.relay_agent_message(handoff.id, dana, "this one is refused")

    assert view["delivery"] == "failed"
    assert _deliveries(desk, handoff)[-1] == ("this one is refused", "failed")
    stand_in.fail_status = None
    await asyncio.sleep(0.2)
    await desk.delivery.deliver_due()
    assert stand_in.bot_texts("conv-1") == [GREETING]
    [entry] = [entry for entry in desk.outbox.for_handoff(handoff.id) if entry.state is DeliveryState.FAILED]
    assert "Rasa answered 400" in (entry.last_error or "")


async def test_two_senders_at_once_still_deliver_each_line_once(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    # a second process (a restart overlapping the old one) delivers from the same outbox
    stand_in.stop()
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk)
    for n in range(20):
        await desk.relay_agent_message(handoff.id, dana, f"line {n}")
    stand_in.start()
    other = OutboxDelivery(desk.outbox, desk.rasa, lambda entry, state: asyncio.sleep(0), FAST_RETRIES, desk.clock)
    await asyncio.sleep(0.4)  # past the back-off of the failed attempts
    for _ in range(5):
        await asyncio.gather(desk.delivery.deliver_due(), other.deliver_due())
        if len(stand_in.bot_texts("conv-1")) == 21:
            break
        await asyncio.sleep(0.3)
    texts = stand_in.bot_texts("conv-1")
    assert Counter(texts) == Counter([GREETING] + [f"line {n}" for n in range(20)])
    assert texts == [GREETING] + [f"line {n}" for n in range(20)]


async def test_after_a_restart_a_new_worker_delivers_what_the_old_process_left(
    engine: Engine, stand_in: StandInRasa
) -> None:
    stand_in.stop()
    async with aiohttp.ClientSession() as session:
        before = desk_for(engine, session, stand_in.url)
        handoff, dana = await _active_chat(before)
        await before.relay_agent_message(handoff.id, dana, "written while Rasa was down")
    stand_in.start()

    async with aiohttp.ClientSession() as session:
        # the new process reads the same time as the old one would have
        after = desk_for(engine, session, stand_in.url, before.clock)
        await asyncio.sleep(0.4)
        await after.delivery.deliver_due()
        await after.delivery.deliver_due()
    assert stand_in.bot_texts("conv-1") == [GREETING, "written while Rasa was down"]
    assert _deliveries(after, handoff) == [(GREETING, "delivered"), ("written while Rasa was down", "delivered")]


async def test_a_sender_that_dies_waiting_for_rasa_does_not_make_the_next_one_send_twice(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = desk_for(engine, http_session, stand_in.url)
    handoff, dana = await _active_chat(desk)
    assert stand_in.bot_texts("conv-1") == [GREETING]
    queued = desk.outgoing.agent_line(handoff, dana.id, "Dana", "sent just before the crash")
    assert queued is not None
    stand_in.delay_seconds = 0.25  # stores the event at once, answers a little later

    dying = asyncio.ensure_future(desk.delivery.deliver_conversation("conv-1"))
    assert await settles(lambda: "sent just before the crash" in stand_in.bot_texts("conv-1"))
    dying.cancel()  # the process is gone while Rasa is still answering: nothing was marked
    with pytest.raises(asyncio.CancelledError):
        await dying
    stand_in.delay_seconds = 0
    [left] = desk.outbox.pending("conv-1")
    assert left.message_id == queued.id and left.attempts == 0

    restarted = OutboxDelivery(desk.outbox, desk.rasa, lambda entry, state: asyncio.sleep(0), FAST_RETRIES, desk.clock)
    await restarted.deliver_due()  # still leased by the dead sender: nothing is sent
    await asyncio.sleep(1.3)  # the lease (three client timeouts and a margin) runs out
    await restarted.deliver_due()
    assert stand_in.bot_texts("conv-1") == [GREETING, "sent just before the crash"]
    assert _deliveries(desk, handoff)[-1] == ("sent just before the crash", "delivered")
