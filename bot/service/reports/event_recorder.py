"""Feeds the reports from Rasa's broker events, whichever broker carried them (SQL table or RabbitMQ).

Both readers hand every event here. A customer turn is stored once under its message id, so an event read
from both brokers, delivered again after a crash, or read by two bot-service instances counts once.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional, Union

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from bot.service.reports.reply_latency import MARKS_KEPT_SECONDS, ReplyLatency
from bot.service.reports.turns import record_turn, turn_of

logger = logging.getLogger(__name__)
# only these events matter to the reports; anything else is passed over without being parsed
# old marks of reply times are deleted after every so many events
FORGET_EVERY = 500
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
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._latency = ReplyLatency(engine)
        self._taken = 0

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
        self._latency.take(event, turn.source_event_id if turn is not None else None)
        self._taken += 1
        timestamp = event.get("timestamp")
        if self._taken % FORGET_EVERY == 0 and isinstance(timestamp, (int, float)):
            self._latency.forget_marks_before(float(timestamp) - MARKS_KEPT_SECONDS)
        return recorded
