"""What the service says to a customer, stored and queued for delivery in one transaction.

A line (agent reply, greeting, closing notice) goes into the transcript as `pending` together with its
outbox entry, so the transcript holds every line that will reach the customer, and the agent sees
whether it has yet. A close queues its notice and the hand-back the same way, behind anything the
agent sent before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Mapping, Optional

from sqlalchemy.engine import Connection

from bot.service.handoff import customer_texts
from bot.service.handoff import tables as schema
from bot.service.handoff.outbox_repository import enqueue
from bot.service.handoff.records import (
    CloseOutcome,
    DeliveryState,
    Handoff,
    HandoffStatus,
    OutboxKind,
    Sender,
    TranscriptMessage,
)
from bot.service.handoff.sql_repository import SqlRepository, changed_one
from bot.service.handoff.transcript_repository import insert_message


def queue_line(
    connection: Connection,
    handoff: Handoff,
    sender: Sender,
    text: str,
    now: datetime,
    agent_id: Optional[int] = None,
    custom: Optional[Mapping[str, Any]] = None,
    agent_name: Optional[str] = None,
) -> TranscriptMessage:
    message = insert_message(connection, handoff.id, sender, text, now, agent_id, delivery=DeliveryState.PENDING)
    metadata: Dict[str, Any] = {"handoff_id": handoff.id}
    if agent_name:
        metadata["agent"] = agent_name
    enqueue(
        connection,
        handoff.id,
        handoff.conversation_id,
        OutboxKind.MESSAGE,
        {"text": message.text, "metadata": metadata, "custom": dict(custom) if custom else None},
        message.id,
        now,
    )
    return message


def queue_greeting(connection: Connection, handoff: Handoff, agent_name: str, now: datetime) -> TranscriptMessage:
    return queue_line(
        connection,
        handoff,
        Sender.BOT,
        customer_texts.agent_joined(agent_name, handoff.customer_language),
        now,
        custom=customer_texts.handoff_notice(customer_texts.AGENT_JOINED_EVENT, agent_name),
    )


def queue_close(
    connection: Connection, handoff: Handoff, outcome: CloseOutcome, agent_name: str, now: datetime
) -> None:
    if outcome is CloseOutcome.RESOLVED:
        queue_line(
            connection,
            handoff,
            Sender.BOT,
            customer_texts.chat_closed(agent_name, handoff.customer_language),
            now,
            custom=customer_texts.handoff_notice(customer_texts.AGENT_LEFT_EVENT, agent_name),
        )
    enqueue(
        connection,
        handoff.id,
        handoff.conversation_id,
        OutboxKind.HAND_BACK,
        {"outcome": outcome.value, "metadata": {"handoff_id": handoff.id}},
        None,
        now,
    )


def _still_active(connection: Connection, handoff_id: int) -> bool:
    """Locks the handoff's row (PostgreSQL) or the database (SQLite) until the transaction ends.

    A close that starts at the same moment then either comes first (and this line is refused) or
    after (and its hand-back is queued behind this line); never a reply delivered after the hand-back.
    """
    table = schema.handoffs
    return changed_one(
        connection,
        table.update()
        .where(table.c.id == handoff_id)
        .where(table.c.status == HandoffStatus.ACTIVE.value)
        .values(status=table.c.status),
    )


class Outgoing(SqlRepository):
    def agent_line(self, handoff: Handoff, agent_id: int, agent_name: str, text: str) -> Optional[TranscriptMessage]:
        """None when the chat stopped being active before the line could be queued."""
        with self._engine.begin() as connection:
            if not _still_active(connection, handoff.id):
                return None
            return queue_line(connection, handoff, Sender.AGENT, text, self._clock(), agent_id, agent_name=agent_name)
