"""Failed verification attempts counted per order number in the store, and the lock-out they lead to.

The count is kept in the database rather than in the conversation, so starting a new chat, restarting one
or changing the sender id does not give anyone fresh guesses at the email of an order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection, Engine

from bot.shared.clock import Clock, utc_now
from bot.store.identifiers import normalise_order_number
from bot.store.records import VerificationStanding
from bot.store.tables import verification_failures
from bot.store.transactions import reading, writing

# Settings of the lock-out (module constants: bot/shared/settings.py has no place for them yet).
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
# What agents are shown; rows older than the retention are deleted as new failures come in.
REPORT_PERIOD = timedelta(hours=24)
RETENTION = timedelta(days=30)
MAX_CONVERSATION_ID_LENGTH = 128


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` failures within `window` lock the order number for `lockout` after the last of them."""

    max_failures: int = MAX_FAILURES
    window: timedelta = FAILURE_WINDOW
    lockout: timedelta = LOCKOUT

    @property
    def look_back(self) -> timedelta:
        """How far back a failure can still be part of a lock-out that has not ended."""
        return self.window + self.lockout

    def locked_until(self, failure_times: Sequence[datetime], now: datetime) -> Optional[datetime]:
        """The end of the latest lock-out the failures (oldest first) started, if it is still running."""
        ends = [
            failure_times[last] + self.lockout
            for last in range(self.max_failures - 1, len(failure_times))
            if failure_times[last] - failure_times[last - self.max_failures + 1] <= self.window
        ]
        end = max(ends, default=None)
        return end if end is not None and end > now else None


class VerificationAttempts:
    """Records failed verifications and says whether an order number is locked, whoever tried."""

    def __init__(self, engine: Engine, *, policy: LockoutPolicy = LockoutPolicy(), clock: Clock = utc_now) -> None:
        self._engine = engine
        self._policy = policy
        self._clock = clock

    def standing(
        self, order_number: Optional[str], period: timedelta = REPORT_PERIOD
    ) -> Optional[VerificationStanding]:
        """Failures in the last `period` and the lock state; None for text that is not an order number."""
        number = normalise_order_number(order_number)
        if number is None:
            return None
        now = self._clock()
        since = now - period
        with reading(self._engine) as connection:
            failed_attempts = connection.execute(
                select(func.count())
                .select_from(verification_failures)
                .where(verification_failures.c.order_number == number, verification_failures.c.failed_at > since)
            ).scalar_one()
            times = self._recent_failure_times(connection, number, now)
        return VerificationStanding(
            order_number=number,
            failed_attempts=failed_attempts,
            counted_since=since,
            locked_until=self._policy.locked_until(times, now),
        )

    def is_locked(self, order_number: Optional[str]) -> bool:
        number = normalise_order_number(order_number)
        if number is None:
            return False
        now = self._clock()
        with reading(self._engine) as connection:
            times = self._recent_failure_times(connection, number, now)
        return self._policy.locked_until(times, now) is not None

    def record_failure(self, order_number: Optional[str], conversation_id: str) -> bool:
        """Count one failed attempt for the order number; True when the order number is now locked."""
        number = normalise_order_number(order_number)
        if number is None:
            return False
        now = self._clock()
        with writing(self._engine) as connection:
            connection.execute(delete(verification_failures).where(verification_failures.c.failed_at < now - RETENTION))
            connection.execute(
                insert(verification_failures).values(
                    order_number=number,
                    conversation_id=str(conversation_id)[:MAX_CONVERSATION_ID_LENGTH],
                    failed_at=now,
                )
            )
            times = self._recent_failure_times(connection, number, now)
        return self._policy.locked_until(times, now) is not None

    def _recent_failure_times(self, connection: Connection, number: str, now: datetime) -> List[datetime]:
        rows = connection.execute(
            select(verification_failures.c.failed_at)
            .where(
                verification_failures.c.order_number == number,
                verification_failures.c.failed_at > now - self._policy.look_back,
            )
            .order_by(verification_failures.c.failed_at, verification_failures.c.id)
        )
        return [row.failed_at for row in rows]
