"""Feeds the reports from Rasa's broker events, whichever broker carried them (SQL table or RabbitMQ).

Both readers hand every event here. A customer turn is stored once under its message id, so an event read
from both brokers, delivered again after a crash, or read by two bot-service instances counts once.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any, Dict, Optional, Union

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError

from bot.service.reports import tables as schema
from bot.service.reports.reply_latency import ReplyLatency, ReplyTime
from bot.service.reports.turns import record_turn, turn_of

logger = logging.getLogger(__name__)
# only these events matter to the reports; anything else is passed over without being parsed
_WANTED_TOKENS = ('"user"', '"bot"', '"action_listen"', '"resume"', '"restart"', '"session_started"')


def _event(raw: Union[str, bytes], sender_id: Optional[str]) -> Optional[Dict[str, Any]]:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if not any(token in text for token in _WANTED_TOKENS):
        return None
    try:
        event = json.loads(text)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    if sender_id and not event.get("sender_id"):
        event["sender_id"] = sender_id
    return event


class ReportRecorder:
    def __init__(self, engine: Engine, latency: Optional[ReplyLatency] = None) -> None:
        self._engine = engine
        self._latency = latency or ReplyLatency()

    def take(self, raw: Union[str, bytes], sender_id: Optional[str] = None) -> bool:
        """True when a new customer turn was stored; raises while the database cannot be written (read again)."""
        event = _event(raw, sender_id)
        if event is None:
            return False
        turn = turn_of(event)
        recorded = False
        if turn is not None:
            try:
                recorded = record_turn(self._engine, turn)
            except DataError:
                # it can never be stored: retrying would stop every event behind it for good
                logger.exception("a broker event cannot be stored in the report turns; skipped")
        reply = self._latency.take(event, turn.source_event_id if turn is not None else None)
        if reply is not None:
            self._record_reply(reply)
        return recorded

    def _record_reply(self, reply: ReplyTime) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    schema.reply_times.insert().values(
                        source_event_id=reply.message_key,
                        at=datetime.fromtimestamp(reply.received_at, timezone.utc),
                        seconds=reply.seconds,
                    )
                )
        except IntegrityError:
            pass  # this turn's reply time was stored before (the same events read again)
