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
turn to be stored therefore computes it from every mark, and its result stands. Events read together (a batch
of the SQL broker's table) store their marks in one transaction and are settled in the next, each
conversation's marks read once.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.service.reports import tables as schema
from bot.service.reports.new_rows import insert_all_new

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


@dataclass(frozen=True)
class ConversationMark:
    conversation_id: str
    mark: Mark


def conversation_mark(event: Mapping[str, Any], message_key: Optional[str] = None) -> Optional[ConversationMark]:
    """None for an event that neither starts, answers nor ends a turn, or names no conversation."""
    sender = event.get("sender_id")
    mark = mark_of(event, message_key)
    if not isinstance(sender, str) or mark is None:
        return None
    return ConversationMark(sender, mark)


def store_marks(connection: Connection, marks: Sequence[ConversationMark]) -> None:
    # the same event read twice (both brokers, a redelivery) is one mark
    insert_all_new(connection, schema.turn_marks, [_mark_row(found) for found in marks])


def _mark_row(found: ConversationMark) -> Dict[str, Any]:
    mark = found.mark
    key = mark.message_key or hashlib.sha1(f"{found.conversation_id}\n{mark.kind}\n{mark.at!r}".encode()).hexdigest()
    return {
        "conversation_id": found.conversation_id[:255],
        "at": mark.at,
        "kind": mark.kind,
        "source_key": f"{mark.kind}:{key}"[:96],
    }


class ReplyLatency:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def take(self, event: Mapping[str, Any], message_key: Optional[str] = None) -> None:
        found = conversation_mark(event, message_key)
        if found is None:
            return
        with self._engine.begin() as connection:
            store_marks(connection, [found])
        self.settle([found])

    def settle(self, marks: Sequence[ConversationMark]) -> None:
        """Recomputes the turns these marks belong to, once they are stored (committed: other instances see them)."""
        by_conversation: Dict[str, List[Mark]] = {}
        for found in marks:
            by_conversation.setdefault(found.conversation_id, []).append(found.mark)
        if not by_conversation:
            return
        for attempt in range(2):
            try:
                with self._engine.begin() as connection:
                    for sender, its_marks in by_conversation.items():
                        self._settle(connection, sender, its_marks)
                return
            except IntegrityError:
                if attempt:  # another instance stored the same turn meanwhile, from the same marks
                    return

    def _settle(self, connection: Connection, sender: str, new_marks: Sequence[Mark]) -> None:
        # each mark is judged on the stored marks within TURN_WINDOW_SECONDS of it, as if it came alone;
        # where a turn is judged by several, the last one's verdict stands
        moments = [mark.at for mark in new_marks]
        stored = self._marks_between(
            connection, sender, min(moments) - TURN_WINDOW_SECONDS, max(moments) + TURN_WINDOW_SECONDS
        )
        stored.sort(key=lambda mark: (mark.at, _ORDER[mark.kind]))
        times = [mark.at for mark in stored]
        finished_in: Dict[Tuple[int, int], Dict[str, ReplyTime]] = {}
        verdicts: Dict[str, Optional[ReplyTime]] = {}
        for mark in new_marks:
            window = (
                bisect_left(times, mark.at - TURN_WINDOW_SECONDS),
                bisect_right(times, mark.at + TURN_WINDOW_SECONDS),
            )
            around = stored[window[0] : window[1]]
            if window not in finished_in:
                finished_in[window] = {reply.message_key: reply for reply in reply_times(around)}
            users = [m for m in around if m.kind == USER and m.at <= mark.at]
            for turn in users[-2:] if mark.kind == USER else users[-1:]:
                key = turn.message_key or ""
                verdicts[key] = finished_in[window].get(key)
        table = schema.reply_times
        for key, reply in verdicts.items():
            if reply is None:
                connection.execute(table.delete().where(table.c.source_event_id == key))
            else:
                self._store_reply(connection, reply)

    def forget_marks_before(self, moment: float) -> None:
        table = schema.turn_marks
        with self._engine.begin() as connection:
            connection.execute(table.delete().where(table.c.at < moment))

    @staticmethod
    def _marks_between(connection: Connection, sender: str, start: float, end: float) -> List[Mark]:
        table = schema.turn_marks
        rows = connection.execute(
            select(table.c.kind, table.c.at, table.c.source_key)
            .where(and_(table.c.conversation_id == sender[:255], table.c.at >= start, table.c.at <= end))
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
