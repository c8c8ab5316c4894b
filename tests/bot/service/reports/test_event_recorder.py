"""The reports' recorder stores a batch of broker events as it stores them one by one, in two transactions."""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from bot.service.reports import tables as schema
from bot.service.reports.event_recorder import ReportRecorder
from bot.service.reports.tables import create_report_tables

Row = Tuple[str, Optional[str]]


def _row(kind: str, sender: str, at: float, **fields: Any) -> Row:
    return json.dumps({"event": kind, "sender_id": sender, "timestamp": at, **fields}), sender


def _conversation(sender: str, start: float, replies: List[float]) -> List[Row]:
    """A session start, then a customer message per reply time, each answered and ended with `action_listen`."""
    rows = [_row("session_started", sender, start), _row("slot", sender, start, name="session_started_metadata")]
    for number, reply in enumerate(replies):
        at = start + 10.0 * (number + 1)
        rows += [
            _row(
                "user",
                sender,
                at,
                text="where is my order",
                message_id=f"{sender}-{number}",
                input_channel="rest",
                parse_data={"intent": {"name": "order_status", "confidence": 0.9}},
            ),
            _row("user_featurization", sender, at),
            _row("action", sender, at + reply / 2, name="action_check_order_status"),
            _row("bot", sender, at + reply / 2, text="it is on its way"),
            _row("bot", sender, at + reply, text="anything else?"),
            _row("action", sender, at + reply, name="action_listen"),
        ]
    return rows


def _interleaved() -> List[Row]:
    """Three conversations at once, in the order Rasa publishes them: each one's events in order."""
    conversations = [
        _conversation("web-a", 0.0, [0.4, 2.5, 0.1]),
        _conversation("web-b", 3.0, [0.7]),
        _conversation("rest-c", 5.0, [1.25, 0.5]),
    ]
    picker = random.Random(7)
    rows: List[Row] = []
    while any(conversations):
        rows.append(picker.choice([left for left in conversations if left]).pop(0))
    return rows


def _report_rows(engine: Engine) -> Dict[str, Any]:
    with engine.connect() as connection:
        turns = connection.execute(
            select(
                schema.turns.c.source_event_id,
                schema.turns.c.conversation_id,
                schema.turns.c.at,
                schema.turns.c.channel,
                schema.turns.c.language,
                schema.turns.c.intent,
                schema.turns.c.fallback,
            )
        )
        replies = connection.execute(select(schema.reply_times.c.source_event_id, schema.reply_times.c.seconds))
        marks = connection.execute(select(schema.turn_marks.c.source_key, schema.turn_marks.c.at))
        return {
            "turns": sorted(tuple(row) for row in turns),
            "replies": sorted((row.source_event_id, round(row.seconds, 3)) for row in replies),
            "marks": sorted(tuple(row) for row in marks),
        }


def _clear(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in (schema.turns, schema.reply_times, schema.turn_marks):
            connection.execute(table.delete())


def _commits(engine: Engine) -> List[object]:
    seen: List[object] = []
    event.listen(engine, "commit", lambda connection: seen.append(connection))
    return seen


def test_a_batch_gives_the_rows_of_its_events_taken_one_by_one(engine: Engine) -> None:
    create_report_tables(engine)
    rows = _interleaved()
    one_by_one = ReportRecorder(engine)
    assert sum(one_by_one.take(data, sender) for data, sender in rows) == 6
    expected = _report_rows(engine)
    assert expected["replies"] == [
        ("rest-c-0", 1.25),
        ("rest-c-1", 0.5),
        ("web-a-0", 0.4),
        ("web-a-1", 2.5),
        ("web-a-2", 0.1),
        ("web-b-0", 0.7),
    ]

    for size in (len(rows), 7, 3):
        _clear(engine)
        recorder = ReportRecorder(engine)
        recorded = sum(recorder.take_many(rows[start : start + size]) for start in range(0, len(rows), size))

        assert recorded == 6, size
        assert _report_rows(engine) == expected, size


def test_a_batch_read_again_is_stored_once(engine: Engine) -> None:
    create_report_tables(engine)
    rows = _interleaved()
    recorder = ReportRecorder(engine)
    assert recorder.take_many(rows) == 6
    stored = _report_rows(engine)

    # a restart between storing and saving the cursor reads the batch, or part of it, again
    assert recorder.take_many(rows) == 0
    assert recorder.take_many(rows[5:20]) == 0
    assert _report_rows(engine) == stored


def test_a_batch_is_stored_in_two_transactions_and_other_events_in_none(engine: Engine) -> None:
    create_report_tables(engine)
    rows = _interleaved()
    commits = _commits(engine)
    recorder = ReportRecorder(engine)

    recorder.take_many([row for row in rows if '"slot"' in row[0] or '"user_featurization"' in row[0]])
    assert commits == []

    recorder.take_many(rows)
    # the turns and marks, then the reply times (other instances must see the marks before they settle)
    assert len(commits) == 2


def test_a_turn_the_database_refuses_is_skipped_and_the_rest_of_its_batch_stored(engine: Engine) -> None:
    create_report_tables(engine)
    rows = _interleaved()
    ReportRecorder(engine).take_many(rows)
    expected = _report_rows(engine)
    _clear(engine)

    def refuse(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.startswith("INSERT INTO report_turns") and "web-b-0" in str(parameters):
            raise DataError(statement, parameters, ValueError("value out of range"))

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        assert ReportRecorder(engine).take_many(rows) == 5
    finally:
        event.remove(engine, "before_cursor_execute", refuse)

    stored = _report_rows(engine)
    assert [turn[0] for turn in stored["turns"]] == [turn[0] for turn in expected["turns"] if turn[0] != "web-b-0"]
    assert stored["marks"] == expected["marks"]
    assert stored["replies"] == expected["replies"]
