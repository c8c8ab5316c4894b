"""Live chat or a message left: decided from the opening hours at the moment given and the agents online."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.service.handoff.escalation_mode import (
    EscalationDecision,
    EscalationMode,
    OfflineReason,
    decide,
    describe_reply_time,
)
from tests.support.handoff_fixtures import OPENING_HOURS, SATURDAY_NIGHT, WEDNESDAY_NOON


def test_open_with_an_agent_online_is_a_live_chat() -> None:
    assert decide(OPENING_HOURS, WEDNESDAY_NOON, 1) == EscalationDecision(EscalationMode.LIVE, None, None)


def test_open_with_nobody_online_is_a_message_answered_within_a_working_day() -> None:
    decision = decide(OPENING_HOURS, WEDNESDAY_NOON, 0)
    assert (decision.mode, decision.offline_reason, decision.next_opening) == (
        EscalationMode.OFFLINE,
        OfflineReason.NO_AGENTS,
        None,
    )
    assert describe_reply_time(decision) == "within one working day"


def test_closed_names_the_next_opening_in_the_business_time_zone_even_with_agents_online() -> None:
    decision = decide(OPENING_HOURS, SATURDAY_NIGHT, 5)
    assert (decision.mode, decision.offline_reason) == (EscalationMode.OFFLINE, OfflineReason.CLOSED)
    assert decision.next_opening == datetime(2026, 7, 6, 8, 0, tzinfo=timezone.utc)
    assert describe_reply_time(decision) == "after we open on Monday at 09:00 BST"


def test_the_last_minute_before_closing_is_open_and_closing_time_is_not() -> None:
    last_minute = datetime(2026, 7, 1, 16, 59, tzinfo=timezone.utc)  # 17:59 in London
    closing = datetime(2026, 7, 1, 17, 0, tzinfo=timezone.utc)
    assert decide(OPENING_HOURS, last_minute, 1).mode is EscalationMode.LIVE
    assert decide(OPENING_HOURS, closing, 1).offline_reason is OfflineReason.CLOSED
