"""The report figures of one period: containment, escalations, waits, handle time, outcomes, CSAT, per agent."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence

from bot.service.reports.conversations import Conversation, conversations_of
from bot.service.reports.dataset import ASK_AGAIN_WINDOW, SESSION_GAP, Dataset, HandoffRow, RatingRow
from bot.service.reports.turns import DEFAULT_LANGUAGE

TOP_INTENTS = 10
POSITIVE_SCORES = (4, 5)


@dataclass(frozen=True)
class Filters:
    channel: Optional[str] = None
    language: Optional[str] = None


def percentile(values: Sequence[float], share: float) -> Optional[float]:
    """Nearest-rank percentile: the smallest value at least `share` of the values are not above."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 1)


def _mean(values: Sequence[float]) -> Optional[float]:
    return round(sum(values) / len(values), 2) if values else None


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def _seconds(later: Optional[datetime], earlier: Optional[datetime]) -> Optional[float]:
    return None if later is None or earlier is None else max(0.0, (later - earlier).total_seconds())


def is_abandoned(handoff: HandoffRow) -> bool:
    """The customer left the queue before an agent claimed the live chat (abandonment.py), or it closed unclaimed."""
    if handoff.kind != "live":
        return False
    return handoff.left_at is not None or (handoff.claimed_at is None and handoff.closed_at is not None)


class Period:
    """The rows of a dataset that fall in [start, end) and pass the filters."""

    def __init__(self, dataset: Dataset, start: datetime, end: datetime, filters: Filters) -> None:
        self.dataset = dataset
        self._filters = filters
        self._all_conversations = conversations_of(dataset.turns)
        self.conversations = [
            c for c in self._all_conversations if start <= c.start < end and self._passes(c.channel, c.language)
        ]
        language_of = {c.conversation_id: c.language for c in self._all_conversations}
        self.handoffs = [
            h
            for h in dataset.handoffs
            if start <= h.created_at < end and self._passes(h.channel, language_of.get(h.conversation_id))
        ]
        handoff_ids = {h.id for h in self.handoffs}
        unfiltered = filters.channel is None and filters.language is None
        self.ratings: List[RatingRow] = [
            r
            for r in dataset.ratings
            if start <= r.created_at < end and (r.handoff_id in handoff_ids or (unfiltered and r.handoff_id is None))
        ]

    def _passes(self, channel: Optional[str], language: Optional[str]) -> bool:
        if self._filters.channel is not None and channel != self._filters.channel:
            return False
        return self._filters.language is None or (language or DEFAULT_LANGUAGE) == self._filters.language

    def contained(self, conversation: Conversation) -> bool:
        """No handoff, and the customer did not write again within 24 hours of the conversation's end."""
        escalated = any(
            h.conversation_id == conversation.conversation_id
            and conversation.start <= h.created_at < conversation.end + SESSION_GAP
            for h in self.dataset.handoffs
        )
        asked_again = any(
            other.conversation_id == conversation.conversation_id
            and conversation.end < other.start <= conversation.end + ASK_AGAIN_WINDOW
            for other in self._all_conversations
        )
        return not escalated and not asked_again


def _agent_figures(found: Period) -> List[Dict[str, Any]]:
    rows = []
    for agent_id in sorted({h.agent_id for h in found.handoffs if h.agent_id is not None}):
        held = [h for h in found.handoffs if h.agent_id == agent_id]
        scores = [r.score for r in found.ratings if r.agent_id == agent_id]
        rows.append(
            {
                "agent_id": agent_id,
                "agent": found.dataset.agent_names.get(agent_id, f"agent {agent_id}"),
                "handled": len(held),
                "resolved": sum(1 for h in held if h.outcome == "resolved"),
                "first_response_seconds_p50": percentile(
                    [s for h in held if (s := _seconds(h.first_agent_reply_at, h.created_at)) is not None], 0.5
                ),
                "handle_seconds_p50": percentile(
                    [s for h in held if (s := _seconds(h.closed_at, h.claimed_at)) is not None], 0.5
                ),
                "csat_mean": _mean(scores),
                "csat_responses": len(scores),
            }
        )
    return rows


def summarise(dataset: Dataset, start: datetime, end: datetime, filters: Filters = Filters()) -> Dict[str, Any]:
    found = Period(dataset, start, end, filters)
    conversations = len(found.conversations)
    contained = sum(1 for c in found.conversations if found.contained(c))
    first_responses = [s for h in found.handoffs if (s := _seconds(h.first_agent_reply_at, h.created_at)) is not None]
    handle = [s for h in found.handoffs if h.status == "closed" and (s := _seconds(h.closed_at, h.claimed_at))]
    scores = [r.score for r in found.ratings]
    closed_chats = sum(1 for h in found.handoffs if h.status == "closed" and h.claimed_at is not None)
    intents = Counter(t.intent for c in found.conversations for t in c.turns if t.intent)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "channel": filters.channel,
        "language": filters.language,
        "conversations": conversations,
        "contained": contained,
        "containment_rate": _rate(contained, conversations),
        "fallbacks": sum(1 for c in found.conversations for t in c.turns if t.fallback),
        "escalated": len(found.handoffs),
        "escalation_reasons": dict(Counter(h.reason for h in found.handoffs).most_common()),
        "tickets": sum(1 for h in found.handoffs if h.kind == "ticket"),
        "abandoned": sum(1 for h in found.handoffs if is_abandoned(h)),
        "first_response_seconds_p50": percentile(first_responses, 0.5),
        "first_response_seconds_p90": percentile(first_responses, 0.9),
        "handle_seconds_p50": percentile(handle, 0.5),
        "resolved": sum(1 for h in found.handoffs if h.outcome == "resolved"),
        "back_to_bot": sum(1 for h in found.handoffs if h.outcome == "back_to_bot"),
        "csat_mean": _mean(scores),
        "csat_positive_rate": _rate(sum(1 for s in scores if s in POSITIVE_SCORES), len(scores)),
        "csat_responses": len(scores),
        "csat_response_rate": _rate(len(scores), closed_chats),
        "per_agent": _agent_figures(found),
        # ties in name order, so the same day always gives the same list
        "top_intents": [
            {"intent": name, "count": count}
            for name, count in sorted(intents.items(), key=lambda item: (-item[1], item[0]))[:TOP_INTENTS]
        ],
    }
