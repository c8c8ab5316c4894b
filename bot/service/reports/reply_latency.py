"""Rasa's reply time per turn, from the broker's event timestamps: a customer's message to the turn's last bot line.

The `user` event is stamped after NLU has parsed the message, so the time is the dialogue's and the actions'.

A turn runs from a customer's `user` event to the `action_listen` after it; its reply time ends at the last
`bot` event in between. A turn without a bot line (a paused conversation, a silent action) has none; so has a
turn cut short by the customer's next message, or broken by `resume` (the bot service appends an agent's lines
to a paused conversation and hands back with `resume` + `action_listen`: a person answered, not Rasa).

The events of one turn may reach different bot-service instances (they share the RabbitMQ queue) in any
order, so each event's kind and time is kept for a while in `report_turn_marks`, and every event recomputes
the turn it belongs to (a customer's message also the turn before, which it may cut short) from all the marks
stored so far, holding the conversation's marks locked (PostgreSQL: FOR UPDATE) meanwhile. The last event of a
turn to be stored therefore computes it from every mark, and its result stands.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, List, Mapping, Optional, Sequence

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.service.reports import tables as schema

LISTEN_ACTION = "action_listen"
TURN_BREAKING_EVENTS = frozenset({"resume", "restart", "session_started"})
# a turn is looked for this long around each event, and marks are kept about twice as long
TURN_WINDOW_SECONDS = 30 * 60.0
MARKS_KEPT_SECONDS = 60 * 60.0
USER, BOT, BREAK, LISTEN = "user", "bot", "break", "listen"
# at one timestamp: the message, then the bot's lines, then what ends the turn
_ORDER = {USER: 0, BOT: 1, BREAK: 2, LISTEN: 3}


@dataclass(frozen=True)
class Mark:
    kind: str
    at: float
    message_key: Optional[str]


@dataclass(frozen=True)
class ReplyTime:
    message_key: str
    received_at: float
    seconds: float


def mark_of(event: Mapping[str, Any], message_key: Optional[str]) -> Optional[Mark]:
    timestamp = event.get("timestamp")
    if not isinstance(timestamp, (int, float)):
        return None
    kind = event.get("event")
    if kind == "user":
        return Mark(USER, float(timestamp), message_key) if message_key else None
    if kind == "bot":
        return Mark(BOT, float(timestamp), None)
    if kind in TURN_BREAKING_EVENTS:
        return Mark(BREAK, float(timestamp), None)
    if kind == "action" and event.get("name") == LISTEN_ACTION:
        return Mark(LISTEN, float(timestamp), None)
    return None


def reply_times(marks: Sequence[Mark]) -> List[ReplyTime]:
    """The finished turns among one conversation's marks."""
    ordered = sorted(marks, key=lambda mark: (mark.at, _ORDER[mark.kind]))
    found = []
    for index, mark in enumerate(ordered):
        if mark.kind != USER or mark.message_key is None:
            continue
        last_reply: Optional[float] = None
        for later in ordered[index + 1 :]:
            if later.kind in (USER, BREAK):
                break
            if later.kind == BOT:
                last_reply = later.at
            elif later.kind == LISTEN:
                if last_reply is not None:
                    found.append(ReplyTime(mark.message_key, mark.at, max(0.0, last_reply - mark.at)))
                break
    return found


class ReplyLatency:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def take(self, event: Mapping[str, Any], message_key: Optional[str] = None) -> None:
        sender = event.get("sender_id")
        mark = mark_of(event, message_key)
        if not isinstance(sender, str) or mark is None:
            return
        self._store_mark(sender, mark)
        for attempt in range(2):
            try:
                with self._engine.begin() as connection:
                    self._settle(connection, sender, mark)
                return
            except IntegrityError:
                if attempt:  # another instance stored the same turn meanwhile, from the same marks
                    return

    def _settle(self, connection: Connection, sender: str, mark: Mark) -> None:
        marks = self._marks_around(connection, sender, mark.at)
        finished = {reply.message_key: reply for reply in reply_times(marks)}
        users = sorted((m for m in marks if m.kind == USER and m.at <= mark.at), key=lambda m: m.at)
        for turn in users[-2:] if mark.kind == USER else users[-1:]:
            key = turn.message_key or ""
            reply = finished.get(key)
            if reply is None:
                table = schema.reply_times
                connection.execute(table.delete().where(table.c.source_event_id == key))
            else:
                self._store_reply(connection, reply)

    def forget_marks_before(self, moment: float) -> None:
        table = schema.turn_marks
        with self._engine.begin() as connection:
            connection.execute(table.delete().where(table.c.at < moment))

    def _store_mark(self, sender: str, mark: Mark) -> None:
        # the same event read twice (both brokers, a redelivery) is one mark
        key = mark.message_key or hashlib.sha1(f"{sender}\n{mark.kind}\n{mark.at!r}".encode()).hexdigest()
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    schema.turn_marks.insert().values(
                        conversation_id=sender[:255], at=mark.at, kind=mark.kind, source_key=f"{mark.kind}:{key}"[:96]
                    )
                )
        except IntegrityError:
            pass

    @staticmethod
    def _marks_around(connection: Connection, sender: str, at: float) -> List[Mark]:
        table = schema.turn_marks
        rows = connection.execute(
            select(table.c.kind, table.c.at, table.c.source_key)
            .where(
                and_(
                    table.c.conversation_id == sender[:255],
                    table.c.at >= at - TURN_WINDOW_SECONDS,
                    table.c.at <= at + TURN_WINDOW_SECONDS,
                )
            )
            .with_for_update()
        )
        return [
            Mark(row.kind, float(row.at), row.source_key.split(":", 1)[1] if row.kind == USER else None) for row in rows
        ]

    @staticmethod
    def _store_reply(connection: Connection, reply: ReplyTime) -> None:
        table = schema.reply_times
        updated = connection.execute(
            table.update().where(table.c.source_event_id == reply.message_key).values(seconds=reply.seconds)
        ).rowcount
        if not updated:
            connection.execute(
                table.insert().values(
                    source_event_id=reply.message_key,
                    at=datetime.fromtimestamp(reply.received_at, timezone.utc),
                    seconds=reply.seconds,
                )
            )
