"""The handoff queue: opening, listing, claiming (atomically) and closing handoffs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, List, Mapping, Optional, Tuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from bot.service.handoff import tables as schema
from bot.service.handoff.records import (
    ClaimResult,
    CloseOutcome,
    Handoff,
    HandoffKind,
    HandoffStatus,
)
from bot.service.handoff.row_records import record_from_row
from bot.service.handoff.sql_repository import InTransaction, SqlRepository, inserted_id

_OPEN_STATUSES = (HandoffStatus.WAITING.value, HandoffStatus.ACTIVE.value)
# while a close is being delivered the conversation is still paused: what the customer writes is the agent's
_LISTENING_STATUSES = (*_OPEN_STATUSES, HandoffStatus.CLOSING.value)
RECENT_WAIT_WINDOW = timedelta(hours=24)
# ids are 32-bit integers on PostgreSQL; anything outside is no handoff (and must not reach the database)
MAX_ID = 2**31 - 1


def known_id(handoff_id: int) -> bool:
    return 0 < handoff_id <= MAX_ID


class HandoffQueue(SqlRepository):
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
            handoff_id = self._insert(connection, conversation_id, channel, reason, HandoffKind.LIVE, context)
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
        return self._first(select(schema.handoffs).where(schema.handoffs.c.id == handoff_id), _handoff)

    def open_for_conversation(self, conversation_id: str) -> Optional[Handoff]:
        with self._engine.connect() as connection:
            return self._open_for_conversation(connection, conversation_id)

    def open_conversation_ids(self) -> List[str]:
        return self._all(
            select(schema.handoffs.c.conversation_id)
            .where(schema.handoffs.c.status.in_(_LISTENING_STATUSES))
            .where(schema.handoffs.c.kind == HandoffKind.LIVE.value),
            _conversation_id,
        )

    def conversation_ids_since(self, since: datetime) -> List[str]:
        """Conversations in a live handoff now, or in one that closed after `since`.

        A message the customer wrote during a chat may be read from the broker after the chat closed
        (the service was down, or the agent closed it at once); it still belongs to that chat.
        """
        table = schema.handoffs
        return self._all(
            select(table.c.conversation_id)
            .distinct()
            # a taken ticket too: the customer answers an agent's e-mail in its conversation
            .where(or_(table.c.kind == HandoffKind.LIVE.value, table.c.claimed_at.is_not(None)))
            .where(or_(table.c.status.in_(_LISTENING_STATUSES), table.c.closed_at >= since)),
            _conversation_id,
        )

    def handoff_at(self, conversation_id: str, moment: datetime) -> Optional[Handoff]:
        """The live handoff the conversation was in at `moment`, closed since or not.

        A ticket counts once an agent has taken it: an agent's answer by e-mail is replied to in the
        ticket's conversation.
        """
        table = schema.handoffs
        live = table.c.kind == HandoffKind.LIVE.value
        taken_ticket = and_(table.c.kind == HandoffKind.TICKET.value, table.c.claimed_at <= moment)
        return self._first(
            select(table)
            .where(table.c.conversation_id == conversation_id)
            .where(or_(live, taken_ticket))
            .where(table.c.created_at <= moment)
            .where(or_(table.c.closed_at.is_(None), table.c.closed_at >= moment))
            .order_by(table.c.id.desc())
            .limit(1),
            _handoff,
        )

    def latest_for_conversation(self, conversation_id: str) -> Optional[Handoff]:
        return self._first(
            select(schema.handoffs)
            .where(schema.handoffs.c.conversation_id == conversation_id)
            .order_by(schema.handoffs.c.id.desc())
            .limit(1),
            _handoff,
        )

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
        return self._all(query.limit(limit), _handoff)

    def queue_position(self, handoff: Handoff) -> Optional[int]:
        """1 for the next live chat to be picked up; None when the handoff is not waiting live."""
        if handoff.status is not HandoffStatus.WAITING or handoff.kind is not HandoffKind.LIVE:
            return None
        table = schema.handoffs
        ahead = self._count(
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
        )
        return ahead + 1

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
        if self._move(
            handoff_id,
            HandoffStatus.WAITING,
            active_chats < max_concurrent_chats,
            then=then,
            status=HandoffStatus.ACTIVE.value,
            agent_id=agent_id,
            claimed_at=self._clock(),
        ):
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
        return self._move(
            handoff_id,
            HandoffStatus.ACTIVE,
            schema.handoffs.c.agent_id == agent_id,
            then=then,
            status=HandoffStatus.CLOSING.value,
            outcome=outcome.value,
        )

    def finish_close(self, handoff_id: int) -> bool:
        """Closing to closed, once Rasa has the conversation back; False if it was not closing."""
        return self._move(handoff_id, HandoffStatus.CLOSING, status=HandoffStatus.CLOSED.value, closed_at=self._clock())

    def reopen(self, handoff_id: int) -> bool:
        """Closing back to active: Rasa refused the hand-back, so the agent still holds the chat."""
        return self._move(handoff_id, HandoffStatus.CLOSING, status=HandoffStatus.ACTIVE.value, outcome=None)

    def close(self, handoff_id: int, agent_id: int, outcome: CloseOutcome) -> bool:
        """Closes at once, with nothing to deliver (tickets); False when it was not this agent's active chat."""
        return self._move(
            handoff_id,
            HandoffStatus.ACTIVE,
            schema.handoffs.c.agent_id == agent_id,
            status=HandoffStatus.CLOSED.value,
            outcome=outcome.value,
            closed_at=self._clock(),
        )

    def set_notified_position(self, handoff_id: int, position: Optional[int]) -> None:
        self._change(
            schema.handoffs.update().where(schema.handoffs.c.id == handoff_id).values(notified_position=position)
        )

    def _move(
        self,
        handoff_id: int,
        current: HandoffStatus,
        *conditions: Any,
        then: Optional[InTransaction] = None,
        **values: Any,
    ) -> bool:
        """From `current` (and `conditions`) to `values`, in one conditional UPDATE; True when it happened."""
        table = schema.handoffs
        return self._change(
            table.update()
            .where(table.c.id == handoff_id)
            .where(table.c.status == current.value)
            .where(*conditions)
            .values(**values),
            then,
        )

    def recent_wait_seconds(self, now: Optional[datetime] = None, limit: int = 20) -> List[float]:
        """How long the most recent live chats waited before an agent claimed them."""
        table = schema.handoffs
        since = (now or self._clock()) - RECENT_WAIT_WINDOW
        return self._all(
            select(table.c.created_at, table.c.claimed_at)
            .where(table.c.kind == HandoffKind.LIVE.value)
            .where(table.c.claimed_at.is_not(None))
            .where(table.c.claimed_at > since)
            .order_by(table.c.claimed_at.desc())
            .limit(limit),
            lambda row: float((row.claimed_at - row.created_at).total_seconds()),
        )

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
        return inserted_id(
            connection,
            schema.handoffs.insert().values(
                conversation_id=conversation_id,
                channel=channel,
                reason=reason,
                kind=kind.value,
                status=HandoffStatus.WAITING.value,
                created_at=self._clock(),
                customer_email=customer_email,
                customer_message=customer_message,
                context_json=json.dumps(dict(context), default=str),
                language=_language_of(context),
            ),
        )

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
        return None if row is None else _handoff(row)

    def _require(self, handoff_id: int) -> Handoff:
        handoff = self.get(handoff_id)
        if handoff is None:
            raise LookupError(f"handoff {handoff_id} vanished right after it was written")
        return handoff


def _handoff(row: Any) -> Handoff:
    return record_from_row(Handoff, row, context=json.loads(row.context_json or "{}"))


def _conversation_id(row: Any) -> str:
    return str(row.conversation_id)


def _language_of(context: Mapping[str, Any]) -> Optional[str]:
    """The two-letter code the escalation request carried (the request model checked its shape)."""
    language = context.get("language")
    return language if isinstance(language, str) and 0 < len(language) <= 8 else None
