"""The queue's state machine: waiting -> active (one agent) -> closed, positions and waits."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import timedelta
from typing import Dict, List

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.service.handoff import tables as schema
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.records import ClaimResult, CloseOutcome, HandoffKind, HandoffStatus
from tests.support.handoff_fixtures import HandoffDatabase


def _agent(engine: Engine, name: str, max_chats: int = 3) -> int:
    return AgentRepository(engine).create(name, name.title(), "password-123", max_chats).id


def test_a_conversation_is_queued_once_while_its_handoff_is_open(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    first, created = queue.open_live("conv-1", "socketio", "customer_request", {"slots": {"a": 1}})
    again, created_again = queue.open_live("conv-1", "socketio", "negative_sentiment", {})
    assert created and not created_again
    assert again.id == first.id
    assert first.status is HandoffStatus.WAITING
    assert first.context == {"slots": {"a": 1}}
    assert first.created_at.tzinfo is not None


def test_queue_positions_follow_arrival_and_ignore_tickets(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    handoffs = [queue.open_live(f"conv-{n}", "rest", "customer_request", {})[0] for n in range(3)]
    ticket = queue.open_ticket("conv-t", "rest", "customer_request", "a@example.com", "hi", {})
    assert [queue.queue_position(handoff) for handoff in handoffs] == [1, 2, 3]
    assert queue.queue_position(ticket) is None
    agent_id = _agent(engine, "dana")
    assert queue.claim(handoffs[0].id, agent_id, 3) is ClaimResult.CLAIMED
    assert queue.queue_position(queue.get(handoffs[2].id)) == 2
    listed = queue.list(HandoffStatus.WAITING)
    assert [item.kind for item in listed] == [HandoffKind.LIVE, HandoffKind.LIVE, HandoffKind.TICKET]


def test_claim_close_and_their_refusals(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    dana, lee = _agent(engine, "dana"), _agent(engine, "lee")
    handoff, _ = queue.open_live("conv-1", "rest", "damaged_goods", {})

    assert queue.claim(handoff.id, dana, 3) is ClaimResult.CLAIMED
    assert queue.claim(handoff.id, lee, 3) is ClaimResult.ALREADY_TAKEN
    assert queue.claim(handoff.id + 1000, lee, 3) is ClaimResult.NOT_FOUND
    assert not queue.close(handoff.id, lee, CloseOutcome.RESOLVED)
    assert queue.close(handoff.id, dana, CloseOutcome.BACK_TO_BOT)
    assert not queue.close(handoff.id, dana, CloseOutcome.RESOLVED)

    closed = queue.get(handoff.id)
    assert closed.status is HandoffStatus.CLOSED
    assert closed.outcome is CloseOutcome.BACK_TO_BOT
    assert closed.agent_id == dana
    assert closed.claimed_at <= closed.closed_at
    # once closed, the conversation may escalate again
    reopened, created = queue.open_live("conv-1", "rest", "customer_request", {})
    assert created and reopened.id != handoff.id


def test_an_agent_at_the_chat_limit_cannot_claim_more(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    dana = _agent(engine, "dana", max_chats=2)
    ids = [queue.open_live(f"conv-{n}", "rest", "customer_request", {})[0].id for n in range(3)]
    assert queue.claim(ids[0], dana, 2) is ClaimResult.CLAIMED
    assert queue.claim(ids[1], dana, 2) is ClaimResult.CLAIMED
    assert queue.claim(ids[2], dana, 2) is ClaimResult.AGENT_AT_LIMIT
    assert queue.get(ids[2]).status is HandoffStatus.WAITING
    queue.close(ids[0], dana, CloseOutcome.RESOLVED)
    assert queue.claim(ids[2], dana, 2) is ClaimResult.CLAIMED


def test_recent_waits_are_measured_from_claimed_live_chats(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    dana = _agent(engine, "dana")
    handoff, _ = queue.open_live("conv-1", "rest", "customer_request", {})
    assert queue.recent_wait_seconds() == []
    queue.claim(handoff.id, dana, 3)
    waits = queue.recent_wait_seconds()
    assert len(waits) == 1 and 0 <= waits[0] < 60


def test_twenty_agents_racing_for_two_hundred_handoffs_claim_each_exactly_once(
    handoff_database: HandoffDatabase,
) -> None:
    setup_engine = handoff_database.engine()
    queue = HandoffQueue(setup_engine)
    handoff_ids = [queue.open_live(f"race-{n}", "rest", "customer_request", {})[0].id for n in range(200)]
    agent_ids = [_agent(setup_engine, f"agent{n:02d}", max_chats=1000) for n in range(20)]
    wins: Dict[int, List[int]] = {agent_id: [] for agent_id in agent_ids}
    failures: List[BaseException] = []
    start = threading.Barrier(len(agent_ids))

    def race(agent_id: int) -> None:
        # each agent has its own engine, hence its own connections to the database
        engine = handoff_database.engine()
        try:
            own_queue = HandoffQueue(engine)
            order = list(handoff_ids)
            random.Random(agent_id).shuffle(order)
            start.wait()
            for handoff_id in order:
                if own_queue.claim(handoff_id, agent_id, 1000) is ClaimResult.CLAIMED:
                    wins[agent_id].append(handoff_id)
        except BaseException as error:
            failures.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=race, args=(agent_id,)) for agent_id in agent_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    claimed = Counter(handoff_id for won in wins.values() for handoff_id in won)
    assert sorted(claimed) == sorted(handoff_ids)
    assert set(claimed.values()) == {1}
    with setup_engine.connect() as connection:
        owners = dict(connection.execute(select(schema.handoffs.c.id, schema.handoffs.c.agent_id)).all())
        still_waiting = connection.execute(
            select(func.count())
            .select_from(schema.handoffs)
            .where(schema.handoffs.c.status != HandoffStatus.ACTIVE.value)
        ).scalar_one()
    assert still_waiting == 0
    for agent_id, won in wins.items():
        assert all(owners[handoff_id] == agent_id for handoff_id in won)
    setup_engine.dispose()


def test_a_close_goes_through_closing_and_only_the_holder_starts_it(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    dana, lee = _agent(engine, "dana"), _agent(engine, "lee")
    handoff, _ = queue.open_live("conv-1", "rest", "customer_request", {})
    queue.claim(handoff.id, dana, 3)
    assert not queue.begin_close(handoff.id, lee, CloseOutcome.RESOLVED)
    assert queue.begin_close(handoff.id, dana, CloseOutcome.RESOLVED)
    closing = queue.get(handoff.id)
    assert (closing.status, closing.outcome, closing.closed_at) == (HandoffStatus.CLOSING, CloseOutcome.RESOLVED, None)
    assert not queue.begin_close(handoff.id, dana, CloseOutcome.RESOLVED)
    # while closing the conversation still counts as in a handoff, but a new escalation starts afresh
    assert "conv-1" in queue.open_conversation_ids()
    assert queue.open_for_conversation("conv-1") is None
    assert queue.reopen(handoff.id) and queue.get(handoff.id).status is HandoffStatus.ACTIVE
    assert queue.begin_close(handoff.id, dana, CloseOutcome.BACK_TO_BOT)
    assert queue.finish_close(handoff.id) and not queue.finish_close(handoff.id)
    closed = queue.get(handoff.id)
    assert closed.status is HandoffStatus.CLOSED and closed.outcome is CloseOutcome.BACK_TO_BOT
    assert closed.closed_at is not None and not queue.reopen(handoff.id)


def test_a_message_is_filed_under_the_handoff_it_was_written_in(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    dana = _agent(engine, "dana")
    first, _ = queue.open_live("conv-1", "rest", "customer_request", {})
    queue.claim(first.id, dana, 3)
    queue.close(first.id, dana, CloseOutcome.RESOLVED)
    second, _ = queue.open_live("conv-1", "rest", "customer_request", {})
    closed_at = queue.get(first.id).closed_at
    assert queue.handoff_at("conv-1", first.created_at).id == first.id
    assert queue.handoff_at("conv-1", closed_at).id == first.id
    assert queue.handoff_at("conv-1", second.created_at).id == second.id
    assert queue.handoff_at("conv-1", first.created_at - timedelta(seconds=1)) is None
    assert queue.conversation_ids_since(closed_at - timedelta(days=1)) == ["conv-1"]


def test_ids_outside_what_the_database_holds_find_nothing(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    agent_id = _agent(engine, "dana")
    for handoff_id in (0, -1, 2**31, 2**63, 2**64):
        assert queue.get(handoff_id) is None
        assert queue.claim(handoff_id, agent_id, 3) is ClaimResult.NOT_FOUND
