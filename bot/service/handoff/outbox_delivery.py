"""Delivers the outbox to Rasa: in order per conversation, retried with back-off, never twice.

A call Rasa did not answer may still have got through, so before sending such an entry again the
tracker is read for the entry's key (`delivery_evidence`). The retry waits at least the client's
timeout first, so that a call Rasa was still working on has finished by then.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional, TypeVar

from bot.service.handoff.delivery_evidence import DELIVERY_KEY, hand_back_progress, message_delivered
from bot.service.handoff.errors import UpstreamUnavailable
from bot.service.handoff.outbox_repository import OutboxRepository
from bot.service.handoff.rasa_client import RasaClient
from bot.service.handoff.records import DeliveryState, OutboxEntry, OutboxKind
from bot.shared.clock import utc_now

logger = logging.getLogger(__name__)
T = TypeVar("T")
Finished = Callable[[OutboxEntry, DeliveryState], Awaitable[None]]


async def _db(function: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(function, *args)


@dataclass(frozen=True)
class RetryPolicy:
    first_delay_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    # a message nobody could deliver for this long is reported as failed; a hand-back never gives up,
    # because giving up would leave the chat half closed
    give_up_after: timedelta = timedelta(hours=24)
    poll_seconds: float = 1.0
    # a lease lasts the three calls a hand-back may make plus this; after a crash mid-call the entry
    # waits that long, by when whatever Rasa was doing with it is over
    lease_margin_seconds: float = 5.0

    def delay(self, attempts: int, maybe_received: bool, timeout_seconds: float) -> float:
        delay = min(self.max_delay_seconds, self.first_delay_seconds * 2.0 ** max(0, attempts - 1))
        return max(delay, timeout_seconds) if maybe_received else delay


class _ConversationLocks:
    """One delivery at a time per conversation in this process; a lock is forgotten when nobody holds it."""

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._users: Dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        self._users[conversation_id] = self._users.get(conversation_id, 0) + 1
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            self._users[conversation_id] -= 1
            if self._users[conversation_id] == 0:
                del self._users[conversation_id]
                del self._locks[conversation_id]


class OutboxDelivery:
    def __init__(
        self,
        outbox: OutboxRepository,
        rasa: RasaClient,
        finished: Finished,
        policy: RetryPolicy = RetryPolicy(),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._outbox = outbox
        self._rasa = rasa
        self._finished = finished
        self._policy = policy
        self._clock = clock
        self._locks = _ConversationLocks()
        self._wake = asyncio.Event()

    @property
    def _lease_seconds(self) -> float:
        # a tracker read, a resume and a trigger: a lease never runs out in the middle of an attempt
        return 3 * self._rasa.timeout_seconds + self._policy.lease_margin_seconds

    def wake(self) -> None:
        """Something was queued: the worker looks now instead of at its next poll."""
        self._wake.set()

    async def deliver_conversation(self, conversation_id: str) -> None:
        """Sends what is due for the conversation, in order, stopping at the first entry that must wait."""
        async with self._locks.hold(conversation_id):
            for entry in await _db(self._outbox.pending, conversation_id):
                if not await self._attempt(entry):
                    return

    async def deliver_due(self) -> None:
        for conversation_id in await _db(self._outbox.due_conversations, self._clock()):
            await self.deliver_conversation(conversation_id)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("delivering the outbox failed; retrying")
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._policy.poll_seconds)
            self._wake.clear()

    async def _attempt(self, entry: OutboxEntry) -> bool:
        """True when the entry is finished (delivered, or failed for good) and the next may go."""
        now = self._clock()
        if entry.next_attempt_at > now:
            return False
        if not await _db(self._outbox.lease, entry.id, now, self._lease_seconds):
            return False  # another process is sending it
        try:
            await self._send(entry)
        except UpstreamUnavailable as error:
            return await self._failed(entry, error, now)
        await self._finish(entry, DeliveryState.DELIVERED)
        return True

    async def _tracker(self, conversation_id: str) -> Dict[str, Any]:
        try:
            return await self._rasa.tracker(conversation_id)
        except UpstreamUnavailable as error:
            # nothing learnt about the earlier attempt: it still may have got through
            raise UpstreamUnavailable(str(error), maybe_received=True) from error

    async def _send(self, entry: OutboxEntry) -> None:
        """`entry.maybe_received`: an earlier attempt may have got through, so look before sending."""
        metadata = {**dict(entry.payload.get("metadata") or {}), DELIVERY_KEY: entry.delivery_key}
        conversation_id = entry.conversation_id
        if entry.kind is OutboxKind.MESSAGE:
            if entry.maybe_received and message_delivered(await self._tracker(conversation_id), entry.delivery_key):
                return
            await self._rasa.send_bot_message(
                conversation_id, entry.payload["text"], metadata, entry.payload.get("custom")
            )
            return
        resumed = triggered = False
        if entry.maybe_received:
            progress = hand_back_progress(await self._tracker(conversation_id), entry.delivery_key)
            resumed, triggered = progress.resumed, progress.triggered
        if not resumed:
            await self._rasa.resume(conversation_id, metadata)
        if triggered:
            return
        try:
            await self._rasa.trigger_handback(conversation_id, entry.payload["outcome"])
        except UpstreamUnavailable as error:
            # the resume went through: the next attempt must look before resuming again
            raise UpstreamUnavailable(str(error), maybe_received=not error.permanent) from error

    async def _failed(self, entry: OutboxEntry, error: UpstreamUnavailable, now: datetime) -> bool:
        too_old = entry.kind is OutboxKind.MESSAGE and now - entry.created_at > self._policy.give_up_after
        if error.permanent or too_old:
            logger.warning("outbox entry %s failed for good: %s", entry.id, error)
            await self._finish(entry, DeliveryState.FAILED, str(error))
            return True
        delay = self._policy.delay(entry.attempts + 1, error.maybe_received, self._rasa.timeout_seconds)
        await _db(self._outbox.retry_later, entry, str(error), error.maybe_received, now + timedelta(seconds=delay))
        logger.info("outbox entry %s not delivered (%s); next attempt in %.1f s", entry.id, error, delay)
        return False

    async def _finish(self, entry: OutboxEntry, state: DeliveryState, error: Optional[str] = None) -> None:
        await _db(self._outbox.finish, entry, state, error)
        try:
            await self._finished(entry, state)
        except Exception:  # the delivery stands; what follows it (live updates, closing) is logged
            logger.exception("after delivering outbox entry %s", entry.id)
