"""Tails Rasa's SQL event broker for the reports, with a cursor of its own beside the handoff desk's."""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.service.handoff.broker_sql import BrokerCursor
from bot.service.handoff.broker_table import BrokerEventsTable
from bot.service.reports.event_recorder import ReportRecorder

logger = logging.getLogger(__name__)
CURSOR_NAME = "reports"


class TurnTail:
    def __init__(
        self, engine: Engine, events_db: str, poll_seconds: float = 1.0, recorder: Optional[ReportRecorder] = None
    ) -> None:
        self._engine = engine
        self._events = BrokerEventsTable(events_db)
        self._cursor = BrokerCursor(engine, CURSOR_NAME)
        self._recorder = recorder or ReportRecorder(engine)
        self._poll_seconds = poll_seconds

    def process_available(self) -> int:
        """Records every new customer turn; returns how many. The cursor moves after the rows are stored."""
        last_id = self._cursor.load()
        recorded = 0
        while True:
            batch = self._events.rows_after(last_id)
            if not batch:
                return recorded
            recorded += self._recorder.take_many((data, sender_id) for _event_id, sender_id, data in batch)
            last_id = batch[-1][0]
            self._cursor.save(last_id)

    async def run_forever(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.process_available)
            except (OperationalError, ProgrammingError) as error:
                # the broker creates its table on first use; until then there is nothing to read
                logger.debug("event broker table not readable yet: %s", error)
            except Exception:
                logger.exception("reading the event broker for the reports failed; retrying")
            await asyncio.sleep(self._poll_seconds)

    def close(self) -> None:
        self._events.close()
