"""On PostgreSQL, the outbox sender wakes as soon as any process queues a mail, instead of at its next poll.

Queueing a mail notifies the channel `email_outbox` in the same transaction (bot/shared/email/outbox.py),
so PostgreSQL delivers the notification once the mail is committed. This listener holds one connection of
its own in LISTEN mode and wakes the sender on each notification; when the connection is lost it tries
again every RECONNECT_SECONDS, and the sender's poll keeps the mail going meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Callable, Optional

from sqlalchemy.engine import Engine

from bot.shared.email.outbox import NOTIFY_CHANNEL

logger = logging.getLogger(__name__)
RECONNECT_SECONDS = 5.0


def listens_for_notifications(engine: Engine) -> bool:
    return bool(engine.dialect.name == "postgresql")


class OutboxWakeup:
    def __init__(self, engine: Engine, wake: Callable[[], None]) -> None:
        self._engine = engine
        self._wake = wake
        self._connection: Any = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._reconnect: Optional[asyncio.TimerHandle] = None

    def start(self) -> None:
        """In the running event loop; a failure to listen is logged, and tried again later."""
        self._loop = asyncio.get_running_loop()
        self._listen()

    def stop(self) -> None:
        if self._reconnect is not None:
            self._reconnect.cancel()
        self._close()
        self._loop = None

    def _listen(self) -> None:
        self._reconnect = None
        try:
            pooled = self._engine.raw_connection()
            pooled.detach()  # this connection stays in LISTEN mode; it never goes back to the pool
            connection = pooled.connection
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except Exception as error:  # the database is down: the poll sends meanwhile
            logger.warning("the mail outbox cannot listen for new mails (%s); polling only", type(error).__name__)
            self._later()
            return
        self._connection = connection
        assert self._loop is not None
        self._loop.add_reader(connection.fileno(), self._read)
        # a mail queued while no one listened is sent at once
        self._wake()

    def _read(self) -> None:
        try:
            self._connection.poll()
        except Exception as error:
            logger.warning("the mail outbox stopped listening for new mails (%s)", type(error).__name__)
            self._close()
            self._later()
            return
        if self._connection.notifies:
            self._connection.notifies.clear()
            self._wake()

    def _later(self) -> None:
        if self._loop is not None:
            self._reconnect = self._loop.call_later(RECONNECT_SECONDS, self._listen)

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        # a connection already broken may have no descriptor any more, and may fail to close
        if self._loop is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(connection.fileno())
        with contextlib.suppress(Exception):
            connection.close()
