"""Moves a chat to another agent or back to the queue in one conditional UPDATE, with the customer's notice."""

from __future__ import annotations

from enum import Enum
from typing import Optional

from sqlalchemy import func, select

from bot.service.handoff import customer_texts
from bot.service.handoff import tables as schema
from bot.service.handoff.outgoing import queue_line
from bot.service.handoff.records import Agent, Handoff, HandoffKind, HandoffStatus, Sender
from bot.service.handoff.sql_repository import SqlRepository, changed_one

MOVABLE = (HandoffStatus.WAITING.value, HandoffStatus.ACTIVE.value)


class TransferResult(str, Enum):
    MOVED = "moved"
    NOT_MOVABLE = "not_movable"
    AGENT_AT_LIMIT = "agent_at_limit"


class TransferRepository(SqlRepository):
    def to_agent(self, handoff: Handoff, agent: Agent) -> TransferResult:
        """The chat becomes `agent`'s, if it is still waiting or active and they have room for one more."""
        table = schema.handoffs
        others = table.alias("agent_chats")
        held = (
            select(func.count())
            .select_from(others)
            .where(others.c.agent_id == agent.id)
            .where(others.c.status == HandoffStatus.ACTIVE.value)
            .where(others.c.id != handoff.id)
            .scalar_subquery()
        )
        now = self._clock()
        with self._engine.begin() as connection:
            moved = changed_one(
                connection,
                table.update()
                .where(table.c.id == handoff.id)
                .where(table.c.status.in_(MOVABLE))
                .where(held < agent.max_concurrent_chats)
                .values(
                    status=HandoffStatus.ACTIVE.value,
                    agent_id=agent.id,
                    claimed_at=func.coalesce(table.c.claimed_at, now),
                ),
            )
            if moved and handoff.kind is HandoffKind.LIVE:
                # the desk's own "joined" notice: the widget shows the new agent's name
                queue_line(
                    connection,
                    handoff,
                    Sender.BOT,
                    customer_texts.agent_joined(agent.display_name, handoff.customer_language),
                    now,
                    custom=customer_texts.handoff_notice(customer_texts.AGENT_JOINED_EVENT, agent.display_name),
                )
        if moved:
            return TransferResult.MOVED
        still = self._status(handoff.id)
        return TransferResult.AGENT_AT_LIMIT if still in MOVABLE else TransferResult.NOT_MOVABLE

    def to_queue(self, handoff: Handoff) -> TransferResult:
        """Active back to waiting, nobody holding it; the queue notices then tell the customer their place."""
        table = schema.handoffs
        moved = self._change(
            table.update()
            .where(table.c.id == handoff.id)
            .where(table.c.status == HandoffStatus.ACTIVE.value)
            .values(status=HandoffStatus.WAITING.value, agent_id=None, claimed_at=None, notified_position=None)
        )
        return TransferResult.MOVED if moved else TransferResult.NOT_MOVABLE

    def _status(self, handoff_id: int) -> Optional[str]:
        table = schema.handoffs
        with self._engine.connect() as connection:
            value = connection.execute(select(table.c.status).where(table.c.id == handoff_id)).scalar()
        return None if value is None else str(value)
