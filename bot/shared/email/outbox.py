"""The persistent mail outbox: every mail waits here until the SMTP server has taken it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import List

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.shared.clock import as_utc
from bot.shared.email.tables import outbox


class MailState(str, Enum):
    PENDING = "pending"
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
    return True


class MailOutbox:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def due(self, now: datetime, limit: int = 20) -> List[QueuedMail]:
        query = (
            select(outbox)
            .where(outbox.c.state == MailState.PENDING.value, outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            QueuedMail(
                id=row.id,
                source_key=row.source_key,
                recipient=row.recipient,
                message=row.message,
                attempts=row.attempts,
                created_at=as_utc(row.created_at),
                next_attempt_at=as_utc(row.next_attempt_at),
            )
            for row in rows
        ]

    def lease(self, mail: QueuedMail, now: datetime, seconds: float) -> bool:
        """Only one sender takes a mail: the one whose update still finds it due."""
        with self._engine.begin() as connection:
            result = connection.execute(
                update(outbox)
                .where(outbox.c.id == mail.id, outbox.c.state == MailState.PENDING.value)
                .where(outbox.c.next_attempt_at <= now, outbox.c.attempts == mail.attempts)
                .values(next_attempt_at=now + timedelta(seconds=seconds))
            )
        return bool(result.rowcount == 1)

    def sent(self, mail: QueuedMail, now: datetime) -> None:
        self._set(mail, state=MailState.SENT.value, sent_at=now, attempts=mail.attempts + 1, last_error=None)

    def failed(self, mail: QueuedMail, error: str) -> None:
        self._set(mail, state=MailState.FAILED.value, attempts=mail.attempts + 1, last_error=error[:500])

    def retry_later(self, mail: QueuedMail, error: str, at: datetime) -> None:
        self._set(mail, attempts=mail.attempts + 1, last_error=error[:500], next_attempt_at=at)

    def _set(self, mail: QueuedMail, **values: object) -> None:
        with self._engine.begin() as connection:
            connection.execute(update(outbox).where(outbox.c.id == mail.id).values(**values))
