"""The persistent mail outbox: every mail waits here until the SMTP server has taken it.

Sending is at least once, and in practice once. Each row's mail carries its Message-Id from the moment it
is queued, so any copy sent again is the same message to the recipient's mail client. A sender claims a
row before it talks to the SMTP server (`claim`: state `sending`, the attempt counted, a lease until
`next_attempt_at`); the conditional update lets only one of several senders on the same database have
it. Only the claim's own attempt can finish it (`sent`, `retry_later`, `failed`). A row stays claimed when
its sender dies, or cannot record the send, after the SMTP server took the mail: once the lease is over
another sender sends it again, with the same Message-Id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, List, Optional

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.shared.clock import as_utc
from bot.shared.email.tables import outbox

# On PostgreSQL, queueing a mail notifies this channel, which wakes the bot service's sender at once.
NOTIFY_CHANNEL = "email_outbox"


class MailState(str, Enum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class QueuedMail:
    id: int
    source_key: str
    recipient: str
    message: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime


def enqueue(connection: Connection, source_key: str, recipient: str, message: str, now: datetime) -> bool:
    """False when `source_key` is queued already; inside the caller's transaction."""
    try:
        with connection.begin_nested():
            connection.execute(
                insert(outbox).values(
                    source_key=source_key,
                    recipient=recipient,
                    message=message,
                    state=MailState.PENDING.value,
                    attempts=0,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    except IntegrityError:
        return False
    if connection.dialect.name == "postgresql":
        # delivered when the caller's transaction commits, so the sender finds the mail when it wakes
        connection.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
    return True


def _queued(row: Any) -> QueuedMail:
    return QueuedMail(
        id=row.id,
        source_key=row.source_key,
        recipient=row.recipient,
        message=row.message,
        attempts=row.attempts,
        created_at=as_utc(row.created_at),
        next_attempt_at=as_utc(row.next_attempt_at),
    )


class MailOutbox:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def due(self, now: datetime, limit: int = 20) -> List[QueuedMail]:
        """Mails waiting for their attempt, and claimed ones whose sender's lease ran out."""
        waiting = outbox.c.state.in_([MailState.PENDING.value, MailState.SENDING.value])
        query = select(outbox).where(waiting, outbox.c.next_attempt_at <= now).order_by(outbox.c.id).limit(limit)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [_queued(row) for row in rows]

    def claim(self, mail: QueuedMail, now: datetime, seconds: float) -> Optional[QueuedMail]:
        """The mail as this sender's attempt, leased for `seconds`; None when another sender has it."""
        with self._engine.begin() as connection:
            result = connection.execute(
                update(outbox)
                .where(outbox.c.id == mail.id, outbox.c.attempts == mail.attempts)
                .where(outbox.c.state.in_([MailState.PENDING.value, MailState.SENDING.value]))
                .where(outbox.c.next_attempt_at <= now)
                .values(
                    state=MailState.SENDING.value,
                    attempts=mail.attempts + 1,
                    next_attempt_at=now + timedelta(seconds=seconds),
                )
            )
        if result.rowcount != 1:
            return None
        return replace(mail, attempts=mail.attempts + 1, next_attempt_at=now + timedelta(seconds=seconds))

    def sent(self, claimed: QueuedMail, now: datetime) -> bool:
        return self._finish(claimed, state=MailState.SENT.value, sent_at=now, last_error=None)

    def failed(self, claimed: QueuedMail, error: str) -> bool:
        return self._finish(claimed, state=MailState.FAILED.value, last_error=error[:500])

    def retry_later(self, claimed: QueuedMail, error: str, at: datetime) -> bool:
        return self._finish(claimed, state=MailState.PENDING.value, last_error=error[:500], next_attempt_at=at)

    def _finish(self, claimed: QueuedMail, **values: object) -> bool:
        """False when the claim is no longer this attempt's (its lease ran out and another sender took it)."""
        with self._engine.begin() as connection:
            result = connection.execute(
                update(outbox)
                .where(outbox.c.id == claimed.id, outbox.c.attempts == claimed.attempts)
                .where(outbox.c.state == MailState.SENDING.value)
                .values(**values)
            )
        return bool(result.rowcount == 1)
