"""Records "abandoned while waiting": a customer who left the queue before any agent claimed their live chat.

Nobody tells the desk that a customer gave up, so it is inferred, for each live chat still waiting:
* the web chat was closed (the widget says so when its page goes away) and did not come back within
  LEFT_GRACE (a reload comes back);
* the web chat stopped sending its heartbeat for DISCONNECT_GRACE (the tab or the connection died);
* on a channel without a heartbeat (e-mail, social channels), the customer wrote nothing for
  SILENCE_TIMEOUT since the escalation or their last message.
The chat stays in the queue (an agent may still write to the customer); the reports count it as abandoned.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import List, Optional

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.service.handoff import tables as handoff
from bot.service.reports import tables as schema
from bot.shared.clock import Clock, as_utc

logger = logging.getLogger(__name__)
LEFT_GRACE = timedelta(seconds=20)
DISCONNECT_GRACE = timedelta(minutes=2)
SILENCE_TIMEOUT = timedelta(minutes=30)
SWEEP_SECONDS = 15.0


class LeftBy(str, Enum):
    CLOSED_CHAT = "closed_chat"
    DISCONNECTED = "disconnected"
    SILENT = "silent"


@dataclass(frozen=True)
class Waiting:
    handoff_id: int
    conversation_id: str
    created_at: datetime
    last_message_at: Optional[datetime]
    seen_at: Optional[datetime]
    left_at: Optional[datetime]


def departure(chat: Waiting, now: datetime) -> Optional[tuple[datetime, LeftBy]]:
    """When and how the customer left, or None while they may still be there."""
    if chat.seen_at is not None:
        if chat.left_at is not None and now - chat.left_at >= LEFT_GRACE:
            return chat.left_at, LeftBy.CLOSED_CHAT
        if chat.left_at is None and now - chat.seen_at >= DISCONNECT_GRACE:
            return chat.seen_at, LeftBy.DISCONNECTED
        return None
    last = max(chat.created_at, chat.last_message_at or chat.created_at)
    if now - last >= SILENCE_TIMEOUT:
        return last, LeftBy.SILENT
    return None


class AbandonmentWatch:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def waiting(self) -> List[Waiting]:
        handoffs, messages, presence = handoff.handoffs, handoff.messages, schema.chat_presence
        last_message = (
            select(messages.c.handoff_id, func.max(messages.c.created_at).label("at"))
            .where(messages.c.sender == "customer")
            .group_by(messages.c.handoff_id)
            .subquery()
        )
        query = (
            select(
                handoffs.c.id,
                handoffs.c.conversation_id,
                handoffs.c.created_at,
                last_message.c.at,
                presence.c.seen_at,
                presence.c.left_at,
            )
            .select_from(
                handoffs.outerjoin(last_message, last_message.c.handoff_id == handoffs.c.id)
                .outerjoin(presence, presence.c.conversation_id == handoffs.c.conversation_id)
                .outerjoin(schema.abandonments, schema.abandonments.c.handoff_id == handoffs.c.id)
            )
            .where(
                and_(
                    handoffs.c.status == "waiting",
                    handoffs.c.kind == "live",
                    handoffs.c.claimed_at.is_(None),
                    schema.abandonments.c.id.is_(None),
                )
            )
        )
        with self._engine.connect() as connection:
            return [
                Waiting(
                    row.id,
                    row.conversation_id,
                    as_utc(row.created_at),
                    None if row[3] is None else as_utc(row[3]),
                    None if row.seen_at is None else as_utc(row.seen_at),
                    None if row.left_at is None else as_utc(row.left_at),
                )
                for row in connection.execute(query)
            ]

    def sweep(self) -> int:
        """Records every customer found to have left; returns how many. Safe for two services at once."""
        now = self._clock()
        recorded = 0
        for chat in self.waiting():
            found = departure(chat, now)
            if found is None:
                continue
            left_at, how = found
            try:
                with self._engine.begin() as connection:
                    connection.execute(
                        schema.abandonments.insert().values(
                            handoff_id=chat.handoff_id, left_at=left_at, how=how.value, recorded_at=now
                        )
                    )
            except IntegrityError:
                continue  # the other bot-service instance recorded it first
            recorded += 1
        self._forget_settled_presence()
        return recorded

    def _forget_settled_presence(self) -> None:
        """Presence matters only while a chat waits: rows of claimed, closed or abandoned chats go."""
        presence, handoffs = schema.chat_presence, handoff.handoffs
        still_waiting = (
            select(handoffs.c.conversation_id)
            .select_from(handoffs.outerjoin(schema.abandonments, schema.abandonments.c.handoff_id == handoffs.c.id))
            .where(and_(handoffs.c.status == "waiting", schema.abandonments.c.id.is_(None)))
        )
        with self._engine.begin() as connection:
            connection.execute(presence.delete().where(presence.c.conversation_id.not_in(still_waiting)))

    async def run_forever(self, every_seconds: float = SWEEP_SECONDS) -> None:
        while True:
            try:
                found = await asyncio.to_thread(self.sweep)
                if found:
                    logger.info("%d waiting customers left the queue", found)
            except Exception:
                logger.exception("looking for customers who left the queue failed; retrying")
            await asyncio.sleep(every_seconds)
