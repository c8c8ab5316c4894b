"""Decides how an escalation is answered: a live chat in the queue, or a message left for later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Optional

from bot.service.handoff.business_hours import BusinessHours


class EscalationMode(str, Enum):
    LIVE = "live"
    OFFLINE = "offline"


class OfflineReason(str, Enum):
    CLOSED = "closed"
    NO_AGENTS = "no_agents"


@dataclass(frozen=True)
class EscalationDecision:
    mode: EscalationMode
    offline_reason: Optional[OfflineReason]
    next_opening: Optional[datetime]


def decide(hours: BusinessHours, now: datetime, agents_online: int) -> EscalationDecision:
    if not hours.is_open(now):
        return EscalationDecision(EscalationMode.OFFLINE, OfflineReason.CLOSED, hours.next_opening(now))
    if agents_online <= 0:
        return EscalationDecision(EscalationMode.OFFLINE, OfflineReason.NO_AGENTS, None)
    return EscalationDecision(EscalationMode.LIVE, None, None)


def describe_reply_time(decision: EscalationDecision) -> str:
    """When a customer who leaves a message will hear back, in words."""
    if decision.next_opening is not None:
        opening = decision.next_opening
        zone = opening.tzname() or ""
        return f"after we open on {opening:%A} at {opening:%H:%M} {zone}".rstrip()
    return "within one working day"
