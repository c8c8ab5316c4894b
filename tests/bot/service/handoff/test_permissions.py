"""Who may write in a handoff."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from bot.service.handoff.errors import Forbidden
from bot.service.handoff.permissions import may_write_in, require_write_access
from bot.service.handoff.records import Agent, AgentRole, AgentStatus, Handoff, HandoffKind, HandoffStatus

DANA = Agent(1, "dana", "Dana", AgentStatus.ONLINE, 3, None)
LEE = Agent(2, "lee", "Lee", AgentStatus.ONLINE, 3, None)
SAM = Agent(3, "sam", "Sam", AgentStatus.ONLINE, 3, None, AgentRole.SUPERVISOR)
MOMENT = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
WAITING = Handoff(
    10,
    "conv",
    "socketio",
    "customer_request",
    HandoffKind.LIVE,
    HandoffStatus.WAITING,
    MOMENT,
    None,
    None,
    None,
    None,
    None,
    None,
)
DANAS = replace(WAITING, status=HandoffStatus.ACTIVE, agent_id=DANA.id, claimed_at=MOMENT)


def test_the_holder_and_supervisors_may_write() -> None:
    assert may_write_in(DANA, DANAS)
    assert may_write_in(SAM, DANAS)
    assert may_write_in(SAM, WAITING)
    assert not may_write_in(LEE, DANAS)
    assert not may_write_in(DANA, WAITING)


def test_the_refusal_says_who_may_and_what_to_do() -> None:
    with pytest.raises(Forbidden, match="only the agent who claimed this chat or a supervisor may close it$"):
        require_write_access(LEE, DANAS, "close it")
    with pytest.raises(Forbidden, match="claim it first"):
        require_write_access(DANA, WAITING, "add notes to it")
    require_write_access(SAM, DANAS, "close it")
