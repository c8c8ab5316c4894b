"""Tails the `events` table of Rasa's SQL event broker, remembering in the database how far it read."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.service.handoff import tables as schema
from bot.service.handoff.broker_events import customer_message
from bot.service.handoff.broker_gaps import GapWatch
from bot.service.handoff.broker_recording import record_customer_message
from bot.service.handoff.broker_table import BrokerEventsTable
from bot.service.handoff.desk import HandoffDesk

logger = logging.getLogger(__name__)
CURSOR_NAME = "rasa_sql_event_broker"
# messages written during a chat may be read after it closed (the service was down meanwhile)
LATE_MESSAGE_WINDOW = timedelta(days=7)


class BrokerCursor:
    def __init__(self, engine: Engine, name: str = CURSOR_NAME) -> None:
        self._engine = engine
        self._name = name

    def load(self) -> int:
        with self._engine.connect() as connection:
            value = connection.execute(
                select(schema.broker_cursors.c.last_event_id).where(schema.broker_cursors.c.name == self._name)
            ).scalar()
        return int(value or 0)

    def save(self, last_event_id: int) -> None:
        table = schema.broker_cursors
        with self._engine.begin() as connection:
            updated = connection.execute(
                table.update().where(table.c.name == self._name).values(last_event_id=last_event_id)
            ).rowcount
            if updated == 0:
                connection.execute(table.insert().values(name=self._name, last_event_id=last_event_id))


class SqlBrokerTail:
    def __init__(
        self, desk: HandoffDesk, events_db: str, poll_seconds: float = 0.2, gaps: Optional[GapWatch] = None
    ) -> None:
        self._desk = desk
        self._events = BrokerEventsTable(events_db)
        self._poll_seconds = poll_seconds
        self._cursor = BrokerCursor(desk.engine)
        # only this reader moves its cursor: read from the database once, then kept as saved
        self._saved_id: Optional[int] = None
        self._gaps = gaps or GapWatch()

    async def process_available(self) -> int:
        """Reads everything new once; returns how many customer messages went to a transcript.

        The cursor moves only past events whose messages are stored: a stop anywhere in between
        reads them again, and the transcript keeps each broker event once. It also stops before a
        hole in the ids that may still fill (`broker_gaps`); what lies beyond is read again later.
        """
        if self._saved_id is None:
            self._saved_id = await asyncio.to_thread(self._cursor.load)
        last_id = self._saved_id
        recorded = 0
        while True:
            batch = await asyncio.to_thread(self._events.owners_after, last_id)
            if not batch:
                return recorded
            since = self._desk.clock() - LATE_MESSAGE_WINDOW
            in_handoff = set(await asyncio.to_thread(self._desk.queue.conversation_ids_since, since))
            # only the events of conversations in a handoff are read and decoded
            wanted = [(event_id, sender_id) for event_id, sender_id in batch if sender_id in in_handoff]
            data = await asyncio.to_thread(self._events.data_of, [event_id for event_id, _ in wanted]) if wanted else {}
            for event_id, sender_id in wanted:
                if event_id in data and await self._record(event_id, sender_id, data[event_id]):
                    recorded += 1
            safe_id = self._gaps.safe_cursor(last_id, [event_id for event_id, _ in batch])
            if safe_id > last_id:
                await asyncio.to_thread(self._cursor.save, safe_id)
                self._saved_id = safe_id
            if safe_id < batch[-1][0]:
                return recorded  # waiting for a hole to fill; the next poll looks again
            last_id = safe_id

    async def _record(self, event_id: int, sender_id: str, data: str) -> bool:
        # an event that can never be stored is skipped: holding the cursor on it would stop every later one
        return await record_customer_message(self._desk, customer_message(data, sender_id), f"broker event {event_id}")

    async def run_forever(self) -> None:
        while True:
            try:
                await self.process_available()
            except (OperationalError, ProgrammingError) as error:
                # the broker creates its table on first use; until then there is nothing to read
                logger.debug("event broker table not readable yet: %s", error)
                await asyncio.sleep(1.0)
            except Exception:
                logger.exception("reading the event broker failed; retrying")
                await asyncio.sleep(1.0)
            await asyncio.sleep(self._poll_seconds)

    def close(self) -> None:
        self._events.close()
