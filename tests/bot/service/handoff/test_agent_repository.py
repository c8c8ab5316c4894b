"""Agent accounts: hashed passwords, tokens, presence."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.handoff import tables as schema
from bot.service.handoff.agent_repository import PRESENCE_TIMEOUT, AgentRepository
from bot.service.handoff.errors import Conflict, InvalidRequest
from bot.service.handoff.records import AgentRole, AgentStatus
from bot.shared.clock import utc_now


def test_passwords_are_stored_hashed_and_checked(engine: Engine) -> None:
    agents = AgentRepository(engine)
    dana = agents.create("dana", "Dana", "correct horse")
    with engine.connect() as connection:
        stored = connection.execute(select(schema.agents.c.password_hash)).scalar_one()
    assert "correct horse" not in stored and stored.startswith("$argon2")
    assert agents.log_in("dana", "wrong password") is None
    assert agents.log_in("nobody", "correct horse") is None
    token = agents.log_in("dana", "correct horse")
    assert token and agents.agent_for_token(token).id == dana.id
    agents.log_out(token)
    assert agents.agent_for_token(token) is None


def test_duplicate_and_invalid_accounts_are_refused(engine: Engine) -> None:
    agents = AgentRepository(engine)
    agents.create("dana", "Dana", "password-123")
    with pytest.raises(Conflict):
        agents.create("dana", "Other Dana", "password-456")
    with pytest.raises(InvalidRequest):
        agents.create("lee", "Lee", "short")
    with pytest.raises(InvalidRequest):
        agents.create("  ", "Nobody", "password-123")
    assert [agent.username for agent in agents.list()] == ["dana"]


def test_only_online_agents_seen_recently_count_as_online(engine: Engine) -> None:
    agents = AgentRepository(engine)
    dana = agents.create("dana", "Dana", "password-123")
    lee = agents.create("lee", "Lee", "password-123")
    assert agents.online_count() == 0
    agents.set_status(dana.id, AgentStatus.ONLINE)
    agents.set_status(lee.id, AgentStatus.AWAY)
    assert agents.online_count() == 1
    agents.mark_seen(dana.id, utc_now() - PRESENCE_TIMEOUT - timedelta(seconds=1))
    assert agents.online_count() == 0


def test_agents_have_a_role_agent_by_default(engine: Engine) -> None:
    agents = AgentRepository(engine)
    dana = agents.create("dana", "Dana", "password-123")
    sam = agents.create("sam", "Sam", "password-123", role=AgentRole.SUPERVISOR)
    assert dana.role is AgentRole.AGENT and sam.role is AgentRole.SUPERVISOR
    agents.set_role(dana.id, AgentRole.SUPERVISOR)
    assert agents.find("dana").role is AgentRole.SUPERVISOR
    token = agents.log_in("sam", "password-123")
    assert agents.agent_for_token(token).role is AgentRole.SUPERVISOR
    assert agents.find("nobody") is None


def test_a_new_password_ends_the_agents_sessions(engine: Engine) -> None:
    agents = AgentRepository(engine)
    dana = agents.create("dana", "Dana", "password-123")
    agents.create("lee", "Lee", "password-123")
    old, lees = agents.log_in("dana", "password-123"), agents.log_in("lee", "password-123")
    agents.set_password(dana.id, "a-better-password")
    assert agents.agent_for_token(old) is None
    assert agents.agent_for_token(lees) is not None
    assert agents.has_password("dana", "a-better-password")
    assert not agents.has_password("dana", "password-123")
    assert not agents.has_password("nobody", "password-123")
    with pytest.raises(InvalidRequest):
        agents.set_password(dana.id, "short")


def test_unknown_usernames_take_as_long_to_refuse_as_wrong_passwords(engine: Engine) -> None:
    agents = AgentRepository(engine)
    agents.create("dana", "Dana", "password-123")
    agents.log_in("nobody", "warm-up")  # the dummy hash is made on first use

    def seconds(username: str) -> float:
        started = time.perf_counter()
        assert agents.log_in(username, "wrong password") is None
        return time.perf_counter() - started

    # interleaved, so that a busy machine slows both kinds alike
    rounds = [(seconds("dana"), seconds("nobody")) for _ in range(9)]
    known = statistics.median(pair[0] for pair in rounds)
    unknown = statistics.median(pair[1] for pair in rounds)
    # without the dummy verification an unknown name answers in about a millisecond, some 50x faster
    assert unknown > 0.5 * known, (known, unknown)
