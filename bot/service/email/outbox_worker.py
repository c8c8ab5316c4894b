"""Sends the mail outbox: due mails in order, a failure retried with doubling waits, a sent mail never again.

Several senders (bot service instances) may share one database: each mail is claimed before it is sent,
so only one of them sends it (bot/shared/email/outbox.py). Delivery is at least once: a sender that dies,
or cannot record the send, after the SMTP server took a mail leaves it claimed, and it goes again after
the lease, with the same Message-Id, which the recipient's mail client shows once.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

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
    # longer than a send can take (each SMTP step may wait 20 s): a mail is sent again only after a sender died
    lease_seconds: float = 300.0
    # a send the database could not record is recorded again after these waits, before the lease decides
    record_waits: tuple[float, ...] = (0.2, 1.0, 3.0)

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
        claimed = await asyncio.to_thread(self._outbox.claim, mail, now, self._policy.lease_seconds)
        if claimed is None:
            return False  # another sender has it
        try:
            await asyncio.to_thread(self._sender.send, claimed.recipient, claimed.message)
        except SmtpRefused as error:
            logger.warning("mail %s refused for good: %s", claimed.id, error)
            await asyncio.to_thread(self._outbox.failed, claimed, str(error))
            return False
        except SmtpUnavailable as error:
            if now - claimed.created_at > self._policy.give_up_after:
                await asyncio.to_thread(self._outbox.failed, claimed, str(error))
                return False
            delay = self._policy.delay(claimed.attempts)
            await asyncio.to_thread(self._outbox.retry_later, claimed, str(error), now + timedelta(seconds=delay))
            logger.info("mail %s not sent (%s); next attempt in %.0f s", claimed.id, error, delay)
            return False
        await self._record_sent(claimed)
        return True

    async def _record_sent(self, claimed: QueuedMail) -> None:
        for wait in (*self._policy.record_waits, None):
            try:
                await asyncio.to_thread(self._outbox.sent, claimed, self._clock())
                return
            except SQLAlchemyError as error:
                if wait is None:
                    logger.warning(
                        "mail %s was sent but could not be recorded (%s); it goes again with the same "
                        "Message-Id once its lease is over",
                        claimed.id,
                        type(error).__name__,
                    )
                    return
                await asyncio.sleep(wait)
