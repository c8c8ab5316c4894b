"""Sends the mail outbox: due mails in order, a failure retried with doubling waits, a sent mail never again."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.engine import Engine

from bot.service.email.invoice_copies import import_invoice_copies
from bot.service.email.smtp_sender import SmtpRefused, SmtpUnavailable
from bot.shared.clock import Clock, utc_now
from bot.shared.email.outbox import MailOutbox, QueuedMail

logger = logging.getLogger(__name__)


class Sender(Protocol):
    def send(self, recipient: str, message: str) -> None: ...


@dataclass(frozen=True)
class MailRetryPolicy:
    poll_seconds: float = 1.0
    first_delay_seconds: float = 2.0
    max_delay_seconds: float = 300.0
    # a mail nobody could take for this long is marked failed, so it shows as such rather than waiting forever
    give_up_after: timedelta = timedelta(days=3)
    lease_seconds: float = 60.0

    def delay(self, attempts: int) -> float:
        return float(min(self.max_delay_seconds, self.first_delay_seconds * 2 ** max(0, attempts - 1)))


class MailOutboxWorker:
    def __init__(
        self,
        engine: Engine,
        sender: Sender,
        from_address: str,
        policy: MailRetryPolicy = MailRetryPolicy(),
        clock: Clock = utc_now,
    ) -> None:
        self._engine = engine
        self._outbox = MailOutbox(engine)
        self._sender = sender
        self._from_address = from_address
        self._policy = policy
        self._clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def send_due(self) -> int:
        """How many mails were sent now."""
        await asyncio.to_thread(import_invoice_copies, self._engine, self._from_address, self._clock())
        sent = 0
        for mail in await asyncio.to_thread(self._outbox.due, self._clock()):
            sent += await self._attempt(mail)
        return sent

    async def run_forever(self) -> None:
        while True:
            try:
                await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("sending the mail outbox failed; trying again")
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._policy.poll_seconds)
            self._wake.clear()

    async def _attempt(self, mail: QueuedMail) -> bool:
        now = self._clock()
        if not await asyncio.to_thread(self._outbox.lease, mail, now, self._policy.lease_seconds):
            return False
        try:
            await asyncio.to_thread(self._sender.send, mail.recipient, mail.message)
        except SmtpRefused as error:
            logger.warning("mail %s refused for good: %s", mail.id, error)
            await asyncio.to_thread(self._outbox.failed, mail, str(error))
            return False
        except SmtpUnavailable as error:
            if now - mail.created_at > self._policy.give_up_after:
                await asyncio.to_thread(self._outbox.failed, mail, str(error))
                return False
            delay = self._policy.delay(mail.attempts + 1)
            await asyncio.to_thread(self._outbox.retry_later, mail, str(error), now + timedelta(seconds=delay))
            logger.info("mail %s not sent (%s); next attempt in %.0f s", mail.id, error, delay)
            return False
        await asyncio.to_thread(self._outbox.sent, mail, self._clock())
        return True
