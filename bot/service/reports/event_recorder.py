"""Feeds the reports from Rasa's broker events, whichever broker carried them (SQL table or RabbitMQ).

Both readers hand every event here. A customer turn is stored once under its message id, so an event read
from both brokers, delivered again after a crash, or read by two bot-service instances counts once.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Iterable, Optional, Sequence, Tuple, Union

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from bot.service.reports.reply_latency import (
    MARKS_KEPT_SECONDS,
    ConversationMark,
    ReplyLatency,
    conversation_mark,
    store_marks,
)
from bot.service.reports.turns import Turn, insert_turn, record_turn, turn_of

logger = logging.getLogger(__name__)
# old marks of reply times are deleted after every so many events
FORGET_EVERY = 500
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
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._latency = ReplyLatency(engine)
        self._taken = 0

    def take(self, raw: Union[str, bytes], sender_id: Optional[str] = None) -> bool:
        """True when a new customer turn was stored; raises while the database cannot be written (read again)."""
        return self.take_many([(raw, sender_id)]) > 0

    def take_many(self, events: Iterable[Tuple[Union[str, bytes], Optional[str]]]) -> int:
        """How many new customer turns were stored, from (data, sender_id) pairs in the order Rasa published them.

        Their turns and marks are stored in one transaction, then their reply times computed in another; raises
        while the database cannot be written (read again).
        """
        wanted = [event for event in (_event(raw, sender_id) for raw, sender_id in events) if event is not None]
        if not wanted:
            return 0
        turns = [turn_of(event) for event in wanted]
        marks = [
            found
            for found in (
                conversation_mark(event, turn.source_event_id if turn is not None else None)
                for event, turn in zip(wanted, turns, strict=True)
            )
            if found is not None
        ]
        new_turns = [turn for turn in turns if turn is not None]
        try:
            with self._engine.begin() as connection:
                recorded = sum(insert_turn(connection, turn) for turn in new_turns)
                store_marks(connection, marks)
        except DataError:
            recorded = self._store_one_by_one(new_turns, marks)
        self._latency.settle(marks)
        self._forget_old_marks(wanted)
        return recorded

    def _store_one_by_one(self, turns: Sequence[Turn], marks: Sequence[ConversationMark]) -> int:
        recorded = 0
        for turn in turns:
            try:
                recorded += record_turn(self._engine, turn)
            except DataError:
                # it can never be stored: retrying would stop every event behind it for good
                logger.exception("a broker event cannot be stored in the report turns; skipped")
        with self._engine.begin() as connection:
            store_marks(connection, marks)
        return recorded

    def _forget_old_marks(self, events: Sequence[Dict[str, Any]]) -> None:
        moment: Optional[float] = None
        for event in events:
            self._taken += 1
            timestamp = event.get("timestamp")
            if self._taken % FORGET_EVERY == 0 and isinstance(timestamp, (int, float)):
                moment = float(timestamp) - MARKS_KEPT_SECONDS
        if moment is not None:
            self._latency.forget_marks_before(moment)
