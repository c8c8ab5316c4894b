"""Reads what the reports are computed from, for one period: turns, handoffs, first replies, ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, List, Optional

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine

from bot.service.handoff import tables as handoff_schema
from bot.service.reports import tables as schema
from bot.shared.clock import as_utc

# a customer who writes again within this long after a conversation "asked again" (containment)
ASK_AGAIN_WINDOW = timedelta(hours=24)
# a pause this long starts a new conversation, as Rasa's session expiry (60 minutes) does
SESSION_GAP = timedelta(minutes=60)


@dataclass(frozen=True)
class TurnRow:
    conversation_id: str
    at: datetime
    channel: Optional[str]
    language: str
    intent: Optional[str]
    fallback: bool


@dataclass(frozen=True)
class HandoffRow:
    id: int
    conversation_id: str
    channel: Optional[str]
    reason: str
    kind: str
    status: str
    created_at: datetime
    claimed_at: Optional[datetime]
    closed_at: Optional[datetime]
    agent_id: Optional[int]
    outcome: Optional[str]
    first_agent_reply_at: Optional[datetime]
    # when the customer left the queue unclaimed (report_abandonments), if they did
    left_at: Optional[datetime] = None


@dataclass(frozen=True)
class RatingRow:
    handoff_id: Optional[int]
    agent_id: Optional[int]
    score: int
    created_at: datetime


@dataclass(frozen=True)
class Dataset:
    start: datetime
    end: datetime
    now: datetime
    turns: List[TurnRow]
    handoffs: List[HandoffRow]
    ratings: List[RatingRow]
    agent_names: Dict[int, str]


def _optional(moment: Optional[datetime]) -> Optional[datetime]:
    return None if moment is None else as_utc(moment)


def load_dataset(engine: Engine, start: datetime, end: datetime, now: datetime) -> Dataset:
    """Turns reach 24 hours past `end`, so a conversation near the end still sees a customer asking again."""
    turns_table, handoffs, messages = schema.turns, handoff_schema.handoffs, handoff_schema.messages
    abandonments = schema.abandonments
    first_reply = (
        select(messages.c.handoff_id, func.min(messages.c.created_at).label("first_at"))
        .where(messages.c.sender == "agent")
        .group_by(messages.c.handoff_id)
        .subquery()
    )
    with engine.connect() as connection:
        turn_rows = connection.execute(
            select(turns_table)
            .where(and_(turns_table.c.at >= start - SESSION_GAP, turns_table.c.at < end + ASK_AGAIN_WINDOW))
            .order_by(turns_table.c.conversation_id, turns_table.c.at, turns_table.c.id)
        ).all()
        handoff_rows = connection.execute(
            select(handoffs, first_reply.c.first_at, abandonments.c.left_at)
            .select_from(
                handoffs.outerjoin(first_reply, first_reply.c.handoff_id == handoffs.c.id).outerjoin(
                    abandonments, abandonments.c.handoff_id == handoffs.c.id
                )
            )
            .where(and_(handoffs.c.created_at >= start, handoffs.c.created_at < end))
            .order_by(handoffs.c.id)
        ).all()
        rating_rows = connection.execute(
            select(handoff_schema.ratings).where(
                and_(handoff_schema.ratings.c.created_at >= start, handoff_schema.ratings.c.created_at < end)
            )
        ).all()
        agent_rows = connection.execute(select(handoff_schema.agents.c.id, handoff_schema.agents.c.display_name)).all()
    return Dataset(
        start=start,
        end=end,
        now=now,
        turns=[
            TurnRow(row.conversation_id, as_utc(row.at), row.channel, row.language, row.intent, bool(row.fallback))
            for row in turn_rows
        ],
        handoffs=[
            HandoffRow(
                row.id,
                row.conversation_id,
                row.channel,
                row.reason,
                row.kind,
                row.status,
                as_utc(row.created_at),
                _optional(row.claimed_at),
                _optional(row.closed_at),
                row.agent_id,
                row.outcome,
                _optional(row.first_at),
                _optional(row.left_at),
            )
            for row in handoff_rows
        ],
        ratings=[RatingRow(row.handoff_id, row.agent_id, row.score, as_utc(row.created_at)) for row in rating_rows],
        agent_names={row.id: row.display_name for row in agent_rows},
    )
