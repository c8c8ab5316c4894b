"""A turn's reply time runs from the customer's message to the last bot line before `action_listen`."""

from __future__ import annotations

import random
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.reports import tables as schema
from bot.service.reports.reply_latency import ReplyLatency
from bot.service.reports.tables import create_report_tables

Event = Dict[str, Any]


def _event(kind: str, at: float, sender: str = "web-1", **fields: Any) -> Event:
    return {"event": kind, "sender_id": sender, "timestamp": at, **fields}


def _listen(at: float, sender: str = "web-1") -> Event:
    return _event("action", at, sender, name="action_listen")


def _stored(engine: Engine) -> Dict[str, float]:
    with engine.connect() as connection:
        rows = connection.execute(select(schema.reply_times.c.source_event_id, schema.reply_times.c.seconds))
        return {row.source_event_id: round(row.seconds, 3) for row in rows}


def _feed(latency: ReplyLatency, events: List[tuple[Event, Optional[str]]]) -> None:
    for event, key in events:
        latency.take(event, key)


def test_the_reply_time_ends_at_the_last_bot_line_of_the_turn(engine: Engine) -> None:
    create_report_tables(engine)
    _feed(
        ReplyLatency(engine),
        [
            (_event("user", 100.0), "m1"),
            (_event("bot", 100.4), None),
            (_event("action", 100.5, name="action_check_order_status"), None),
            (_event("bot", 101.2), None),
            (_listen(101.3), None),
        ],
    )

    assert _stored(engine) == {"m1": 1.2}


def test_turns_without_a_bot_line_cut_short_or_answered_by_a_person_have_no_reply_time(engine: Engine) -> None:
    create_report_tables(engine)
    _feed(
        ReplyLatency(engine),
        [
            (_event("user", 10.0), "silent"),
            (_listen(10.1), None),
            (_event("user", 20.0), "cut-short"),
            (_event("user", 30.0), "paused"),
            # an agent's line in the paused conversation, then the hand-back: resume + action_listen
            (_event("bot", 90.0, metadata={"agent": "Dana"}), None),
            (_event("resume", 95.0), None),
            (_listen(95.0), None),
            (_event("user", 120.0), "answered"),
            (_event("bot", 120.5), None),
            (_listen(120.6), None),
            (_event("bot", 1.0, sender=42), None),  # type: ignore[arg-type]  # not a conversation id: ignored
        ],
    )

    assert _stored(engine) == {"answered": 0.5}


def test_events_split_between_two_instances_in_any_order_give_the_same_times(engine: Engine) -> None:
    """What two bot services sharing the RabbitMQ queue see: each some of the events, out of order."""
    create_report_tables(engine)
    turns: List[tuple[Event, Optional[str]]] = []
    for number, (sender, start, reply) in enumerate((("a", 0.0, 0.4), ("a", 60.0, 2.5), ("b", 1.0, 0.7))):
        turns += [
            (_event("user", start, sender), f"m{number}"),
            (_event("bot", start + reply / 2, sender), None),
            (_event("bot", start + reply, sender), None),
            (_listen(start + reply, sender), None),
        ]
    for seed in range(5):
        with engine.begin() as connection:
            connection.execute(schema.turn_marks.delete())
            connection.execute(schema.reply_times.delete())
        shuffled = list(turns)
        random.Random(seed).shuffle(shuffled)
        instances = (ReplyLatency(engine), ReplyLatency(engine))
        for index, (event, key) in enumerate(shuffled):
            instances[index % 2].take(event, key)
        # and a redelivery of some of them changes nothing
        _feed(instances[0], shuffled[:5])

        assert _stored(engine) == {"m0": 0.4, "m1": 2.5, "m2": 0.7}, seed


def test_old_marks_are_forgotten(engine: Engine) -> None:
    create_report_tables(engine)
    latency = ReplyLatency(engine)
    _feed(latency, [(_event("user", 100.0), "m1"), (_event("bot", 100.2), None), (_listen(100.2), None)])

    latency.forget_marks_before(100.1)

    with engine.connect() as connection:
        assert [row.kind for row in connection.execute(select(schema.turn_marks.c.kind))] == ["bot", "listen"]
    assert _stored(engine) == {"m1": 0.2}
