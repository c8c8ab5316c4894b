"""Tells waiting customers their new place in the queue: once per change, never the same place twice.

Each customer's last told position is kept on the handoff. After a change (a claim) one round compares
every waiting chat's position with it and writes only to those whose position moved. Rounds run one
at a time; changes that arrive during a round are folded into a single next round, so a burst of
claims costs each customer at most one notice per position they actually reach.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

from bot.service.handoff import customer_texts
from bot.service.handoff.errors import UpstreamUnavailable
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.rasa_client import RasaClient
from bot.service.handoff.records import HandoffKind, HandoffStatus

logger = logging.getLogger(__name__)


class QueueNotices:
    def __init__(self, queue: HandoffQueue, rasa: RasaClient) -> None:
        self._queue = queue
        self._rasa = rasa
        self._dirty = False
        self._rounds: Optional[asyncio.Task[None]] = None

    def queue_changed(self) -> None:
        self._dirty = True
        if self._rounds is None or self._rounds.done():
            self._rounds = asyncio.ensure_future(self._run_rounds())

    async def settled(self) -> None:
        """Returns when no round is running or due (tests and shutdown)."""
        while self._rounds is not None and not self._rounds.done():
            await asyncio.shield(self._rounds)

    async def _run_rounds(self) -> None:
        while self._dirty:
            self._dirty = False
            try:
                await self.notify_moves()
            except Exception:  # a notice is a courtesy; the queue itself is in the database
                logger.exception("could not tell waiting customers their place in the queue")

    async def notify_moves(self) -> int:
        """One round; returns how many customers were told a new position."""
        waiting = await asyncio.to_thread(self._queue.list, HandoffStatus.WAITING)
        live = [handoff for handoff in waiting if handoff.kind is HandoffKind.LIVE]
        told = 0
        for position, handoff in enumerate(live, start=1):
            if handoff.notified_position == position:
                continue
            try:
                await self._rasa.send_bot_message(
                    handoff.conversation_id, customer_texts.queue_position_changed(position, handoff.customer_language)
                )
            except UpstreamUnavailable as error:
                logger.warning("queue notice to handoff %s not confirmed: %s", handoff.id, error)
                if not error.maybe_received:
                    continue  # not recorded: the next round tries again with the position as it is then
                # it may have reached the customer; sending it again could say the same thing twice
            await asyncio.to_thread(self._queue.set_notified_position, handoff.id, position)
            told += 1
        return told
