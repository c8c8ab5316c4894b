"""The outbox: what the service still has to tell Rasa, in order per conversation, and how far each got."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from bot.service.handoff import tables as schema
from bot.service.handoff.records import DeliveryState, OutboxEntry, OutboxKind
from bot.service.handoff.row_records import record_from_row
from bot.service.handoff.sql_repository import SqlRepository, inserted_id

_ERROR_LENGTH = 255


def enqueue(
    connection: Connection,
    handoff_id: int,
    conversation_id: str,
    kind: OutboxKind,
    payload: Mapping[str, Any],
    message_id: Optional[int],
    now: datetime,
) -> int:
    """Inside the caller's transaction: the entry exists exactly when the change it belongs to does."""
    return inserted_id(
        connection,
        schema.outbox.insert().values(
            handoff_id=handoff_id,
            conversation_id=conversation_id,
            kind=kind.value,
            message_id=message_id,
            payload_json=json.dumps(dict(payload)),
            delivery_key=uuid.uuid4().hex,
            state=DeliveryState.PENDING.value,
            attempts=0,
            maybe_received=False,
            next_attempt_at=now,
            created_at=now,
        ),
    )


class OutboxRepository(SqlRepository):
    def get(self, entry_id: int) -> Optional[OutboxEntry]:
        return self._first(select(schema.outbox).where(schema.outbox.c.id == entry_id), _entry)

    def pending(self, conversation_id: str, limit: int = 100) -> List[OutboxEntry]:
        """The conversation's undelivered entries, oldest first: they go out in this order."""
        table = schema.outbox
        return self._all(
            select(table)
            .where(table.c.conversation_id == conversation_id)
            .where(table.c.state == DeliveryState.PENDING.value)
            .order_by(table.c.id)
            .limit(limit),
            _entry,
        )

    def due_conversations(self, now: datetime, limit: int = 200) -> List[str]:
        table = schema.outbox
        return self._all(
            select(table.c.conversation_id)
            .where(table.c.state == DeliveryState.PENDING.value)
            .where(table.c.next_attempt_at <= now)
            .group_by(table.c.conversation_id)
            .order_by(func.min(table.c.id))
            .limit(limit),
            lambda row: str(row.conversation_id),
        )

    def for_handoff(self, handoff_id: int) -> List[OutboxEntry]:
        table = schema.outbox
        return self._all(select(table).where(table.c.handoff_id == handoff_id).order_by(table.c.id), _entry)

    def lease(self, entry_id: int, now: datetime, seconds: float) -> bool:
        """True when this caller may send the entry now; nobody else will until the lease runs out.

        From here on the entry counts as possibly received: should this process die in the middle of
        the call, whoever sends it next looks at the tracker first.
        """
        table = schema.outbox
        return self._change(
            table.update()
            .where(table.c.id == entry_id)
            .where(table.c.state == DeliveryState.PENDING.value)
            .where(or_(table.c.leased_until.is_(None), table.c.leased_until <= now))
            .values(leased_until=now + timedelta(seconds=seconds), maybe_received=True)
        )

    def finish(self, entry: OutboxEntry, state: DeliveryState, error: Optional[str] = None) -> None:
        """Delivered or failed for good; the transcript line it carries says the same."""
        values: Dict[str, Any] = {"state": state.value, "finished_at": self._clock(), "leased_until": None}
        if error is not None:
            values["last_error"] = error[:_ERROR_LENGTH]
        with self._engine.begin() as connection:
            connection.execute(schema.outbox.update().where(schema.outbox.c.id == entry.id).values(**values))
            if entry.message_id is not None:
                connection.execute(
                    schema.messages.update()
                    .where(schema.messages.c.id == entry.message_id)
                    .values(delivery=state.value)
                )

    def retry_later(self, entry: OutboxEntry, error: str, maybe_received: bool, next_attempt_at: datetime) -> None:
        self._change(
            schema.outbox.update()
            .where(schema.outbox.c.id == entry.id)
            .values(
                attempts=schema.outbox.c.attempts + 1,
                # whether this attempt may have got through: then the next one looks at the tracker first
                maybe_received=maybe_received,
                next_attempt_at=next_attempt_at,
                leased_until=None,
                last_error=error[:_ERROR_LENGTH],
            )
        )


def _entry(row: Any) -> OutboxEntry:
    return record_from_row(
        OutboxEntry, row, payload=json.loads(row.payload_json), maybe_received=bool(row.maybe_received)
    )
