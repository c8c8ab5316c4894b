"""The handoff queue: opening, listing, claiming (atomically) and closing handoffs."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Callable, List, Mapping, Optional, Tuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection, Engine, Row

from bot.handoff import schema
from bot.handoff.clock import utc_now
from bot.handoff.models import (
    ClaimResult,
    CloseOutcome,
    Handoff,
    HandoffKind,
    HandoffStatus,
)

_OPEN_STATUSES = (HandoffStatus.WAITING.value, HandoffStatus.ACTIVE.value)
# while a close is being delivered the conversation is still paused: what the customer writes is the agent's
_LISTENING_STATUSES = (*_OPEN_STATUSES, HandoffStatus.CLOSING.value)
RECENT_WAIT_WINDOW = timedelta(hours=24)
# ids are 32-bit integers on PostgreSQL; anything outside is no handoff (and must not reach the database)
MAX_ID = 2**31 - 1
# work done in the same transaction as a state change (queueing the message that goes with it)
InTransaction = Callable[[Connection], None]


def known_id(handoff_id: int) -> bool:
    return 0 < handoff_id <= MAX_ID


def _handoff_from_row(row: Row) -> Handoff:
    return Handoff(
        id=row.id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        reason=row.reason,
        kind=HandoffKind(row.kind),
        status=HandoffStatus(row.status),
        created_at=row.created_at,
        claimed_at=row.claimed_at,
        closed_at=row.closed_at,
        agent_id=row.agent_id,
        outcome=CloseOutcome(row.outcome) if row.outcome else None,
        customer_email=row.customer_email,
        customer_message=row.customer_message,
        context=json.loads(row.context_json or "{}"),
        notified_position=row.notified_position,
    )


class HandoffQueue:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def open_live(
        self,
        conversation_id: str,
        channel: Optional[str],
        reason: str,
        context: Mapping[str, Any],
    ) -> Tuple[Handoff, bool]:
        """Returns the conversation's open handoff if it has one, so a retried escalation queues once."""
        with self._engine.begin() as connection:
            existing = self._open_for_conversation(connection, conversation_id)
            if existing is not None:
                return existing, False
            handoff_id = self._insert(
                connection, conversation_id, channel, reason, HandoffKind.LIVE, context
            )
        return self._require(handoff_id), True

    def open_ticket(
        self,
        conversation_id: str,
        channel: Optional[str],
        reason: str,
        email: str,
        message: str,
        context: Mapping[str, Any],
    ) -> Handoff:
        with self._engine.begin() as connection:
            handoff_id = self._insert(
                connection,
                conversation_id,
                channel,
                reason,
                HandoffKind.TICKET,
                context,
                customer_email=email,
                customer_message=message,
            )
        return self._require(handoff_id)

    def get(self, handoff_id: int) -> Optional[Handoff]:
        if not known_id(handoff_id):
            return None
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.handoffs).where(schema.handoffs.c.id == handoff_id)
            ).first()
        return None if row is None else _handoff_from_row(row)

    def open_for_conversation(self, conversation_id: str) -> Optional[Handoff]:
        with self._engine.connect() as connection:
            return self._open_for_conversation(connection, conversation_id)

    def open_conversation_ids(self) -> List[str]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(schema.handoffs.c.conversation_id)
                .where(schema.handoffs.c.status.in_(_LISTENING_STATUSES))
                .where(schema.handoffs.c.kind == HandoffKind.LIVE.value)
            )
            return [row.conversation_id for row in rows]

    def conversation_ids_since(self, since: datetime) -> List[str]:
        """Conversations in a live handoff now, or in one that closed after `since`.

        A message the customer wrote during a chat may be read from the broker after the chat closed
        (the service was down, or the agent closed it at once); it still belongs to that chat.
        """
        table = schema.handoffs
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(table.c.conversation_id)
                .distinct()
                .where(table.c.kind == HandoffKind.LIVE.value)
                .where(or_(table.c.status.in_(_LISTENING_STATUSES), table.c.closed_at >= since))
            )
            return [row.conversation_id for row in rows]

    def handoff_at(self, conversation_id: str, moment: datetime) -> Optional[Handoff]:
        """The live handoff the conversation was in at `moment`, closed since or not."""
        table = schema.handoffs
        with self._engine.connect() as connection:
            row = connection.execute(
                select(table)
                .where(table.c.conversation_id == conversation_id)
                .where(table.c.kind == HandoffKind.LIVE.value)
                .where(table.c.created_at <= moment)
                .where(or_(table.c.closed_at.is_(None), table.c.closed_at >= moment))
                .order_by(table.c.id.desc())
                .limit(1)
            ).first()
        return None if row is None else _handoff_from_row(row)

    def latest_for_conversation(self, conversation_id: str) -> Optional[Handoff]:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.handoffs)
                .where(schema.handoffs.c.conversation_id == conversation_id)
                .order_by(schema.handoffs.c.id.desc())
                .limit(1)
            ).first()
        return None if row is None else _handoff_from_row(row)

    def list(self, status: HandoffStatus, limit: int = 500) -> List[Handoff]:
        query = select(schema.handoffs).where(schema.handoffs.c.status == status.value)
        if status is HandoffStatus.CLOSED:
            query = query.order_by(schema.handoffs.c.closed_at.desc())
        else:
            # live chats first: someone is waiting on the other end
            query = query.order_by(
                (schema.handoffs.c.kind == HandoffKind.TICKET.value),
                schema.handoffs.c.created_at,
                schema.handoffs.c.id,
            )
        with self._engine.connect() as connection:
            return [_handoff_from_row(row) for row in connection.execute(query.limit(limit))]

    def queue_position(self, handoff: Handoff) -> Optional[int]:
        """1 for the next live chat to be picked up; None when the handoff is not waiting live."""
        if handoff.status is not HandoffStatus.WAITING or handoff.kind is not HandoffKind.LIVE:
            return None
        table = schema.handoffs
        with self._engine.connect() as connection:
            ahead = connection.execute(
                select(func.count())
                .select_from(table)
                .where(table.c.status == HandoffStatus.WAITING.value)
                .where(table.c.kind == HandoffKind.LIVE.value)
                .where(
                    or_(
                        table.c.created_at < handoff.created_at,
                        and_(table.c.created_at == handoff.created_at, table.c.id < handoff.id),
                    )
                )
            ).scalar_one()
        return int(ahead) + 1

    def claim(
        self,
        handoff_id: int,
        agent_id: int,
        max_concurrent_chats: int,
        then: Optional[InTransaction] = None,
    ) -> ClaimResult:
        """One conditional UPDATE decides the race, so exactly one agent wins on any backend.

        `then` runs in the same transaction when this call won (the greeting is queued with the claim).
        """
        if not known_id(handoff_id):
            return ClaimResult.NOT_FOUND
        table = schema.handoffs
        others = table.alias("agent_chats")
        active_chats = (
            select(func.count())
            .select_from(others)
            .where(others.c.agent_id == agent_id)
            .where(others.c.status == HandoffStatus.ACTIVE.value)
            .scalar_subquery()
        )
        with self._engine.begin() as connection:
            updated = connection.execute(
                table.update()
                .where(table.c.id == handoff_id)
                .where(table.c.status == HandoffStatus.WAITING.value)
                .where(active_chats < max_concurrent_chats)
                .values(
                    status=HandoffStatus.ACTIVE.value, agent_id=agent_id, claimed_at=utc_now()
                )
            ).rowcount
            if updated == 1 and then is not None:
                then(connection)
        if updated == 1:
            return ClaimResult.CLAIMED
        handoff = self.get(handoff_id)
        if handoff is None:
            return ClaimResult.NOT_FOUND
        if handoff.status is not HandoffStatus.WAITING:
            return ClaimResult.ALREADY_TAKEN
        return ClaimResult.AGENT_AT_LIMIT

    def begin_close(
        self,
        handoff_id: int,
        agent_id: int,
        outcome: CloseOutcome,
        then: Optional[InTransaction] = None,
    ) -> bool:
        """Active to closing; True when this call started the close of this agent's active chat.

        `then` runs in the same transaction when it did (the notices the close sends are queued).
        """
        table = schema.handoffs
        with self._engine.begin() as connection:
            updated = connection.execute(
                table.update()
                .where(table.c.id == handoff_id)
                .where(table.c.status == HandoffStatus.ACTIVE.value)
                .where(table.c.agent_id == agent_id)
                .values(status=HandoffStatus.CLOSING.value, outcome=outcome.value)
            ).rowcount
            if updated == 1 and then is not None:
                then(connection)
        return updated == 1

    def finish_close(self, handoff_id: int) -> bool:
        """Closing to closed, once Rasa has the conversation back; False if it was not closing."""
        return self._move(handoff_id, HandoffStatus.CLOSING, status=HandoffStatus.CLOSED.value, closed_at=utc_now())

    def reopen(self, handoff_id: int) -> bool:
        """Closing back to active: Rasa refused the hand-back, so the agent still holds the chat."""
        return self._move(handoff_id, HandoffStatus.CLOSING, status=HandoffStatus.ACTIVE.value, outcome=None)

    def close(self, handoff_id: int, agent_id: int, outcome: CloseOutcome) -> bool:
        """Closes at once, with nothing to deliver (tickets); False when it was not this agent's active chat."""
        table = schema.handoffs
        with self._engine.begin() as connection:
            updated = connection.execute(
                table.update()
                .where(table.c.id == handoff_id)
                .where(table.c.status == HandoffStatus.ACTIVE.value)
                .where(table.c.agent_id == agent_id)
                .values(status=HandoffStatus.CLOSED.value, outcome=outcome.value, closed_at=utc_now())
            ).rowcount
        return updated == 1

    def set_notified_position(self, handoff_id: int, position: Optional[int]) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                schema.handoffs.update()
                .where(schema.handoffs.c.id == handoff_id)
                .values(notified_position=position)
            )

    def _move(self, handoff_id: int, current: HandoffStatus, **values: Any) -> bool:
        table = schema.handoffs
        with self._engine.begin() as connection:
            updated = connection.execute(
                table.update()
                .where(table.c.id == handoff_id)
                .where(table.c.status == current.value)
                .values(**values)
            ).rowcount
        return updated == 1

    def recent_wait_seconds(self, now: Optional[datetime] = None, limit: int = 20) -> List[float]:
        """How long the most recent live chats waited before an agent claimed them."""
        table = schema.handoffs
        since = (now or utc_now()) - RECENT_WAIT_WINDOW
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(table.c.created_at, table.c.claimed_at)
                .where(table.c.kind == HandoffKind.LIVE.value)
                .where(table.c.claimed_at.is_not(None))
                .where(table.c.claimed_at > since)
                .order_by(table.c.claimed_at.desc())
                .limit(limit)
            )
            return [(row.claimed_at - row.created_at).total_seconds() for row in rows]

    def _insert(
        self,
        connection: Connection,
        conversation_id: str,
        channel: Optional[str],
        reason: str,
        kind: HandoffKind,
        context: Mapping[str, Any],
        customer_email: Optional[str] = None,
        customer_message: Optional[str] = None,
    ) -> int:
        return connection.execute(
            schema.handoffs.insert().values(
                conversation_id=conversation_id,
                channel=channel,
                reason=reason,
                kind=kind.value,
                status=HandoffStatus.WAITING.value,
                created_at=utc_now(),
                customer_email=customer_email,
                customer_message=customer_message,
                context_json=json.dumps(dict(context), default=str),
            )
        ).inserted_primary_key[0]

    @staticmethod
    def _open_for_conversation(connection: Connection, conversation_id: str) -> Optional[Handoff]:
        """Waiting or active: a chat being closed does not take a new escalation."""
        row = connection.execute(
            select(schema.handoffs)
            .where(schema.handoffs.c.conversation_id == conversation_id)
            .where(schema.handoffs.c.status.in_(_OPEN_STATUSES))
            .where(schema.handoffs.c.kind == HandoffKind.LIVE.value)
            .order_by(schema.handoffs.c.id.desc())
            .limit(1)
        ).first()
        return None if row is None else _handoff_from_row(row)

    def _require(self, handoff_id: int) -> Handoff:
        handoff = self.get(handoff_id)
        if handoff is None:
            raise LookupError(f"handoff {handoff_id} vanished right after it was written")
        return handoff
