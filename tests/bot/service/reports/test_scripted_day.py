"""The scripted day gives the figures a supervisor should see, every one of them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import aiohttp
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.reports import tables as schema
from tests.support.handoff_fixtures import StandInRasa
from tests.support.scripted_day import RasaEvents, play_day, report_day

REPOSITORY = Path(__file__).resolve().parents[4]


def expected_day(dana_id: int) -> Dict[str, Any]:
    """Bot-only (contained), asked again, escalated and rated 5 and 2, one abandoned while waiting."""
    return {
        "start": "2026-07-01T00:00:00+00:00",
        "end": "2026-07-02T00:00:00+00:00",
        "channel": None,
        "language": None,
        "conversations": 6,
        "contained": 2,
        "containment_rate": 0.3333,
        "fallbacks": 2,
        "escalated": 3,
        "escalation_reasons": {"customer_request": 2, "repeated_fallback": 1},
        "tickets": 0,
        "abandoned": 1,
        "first_response_seconds_p50": 180.0,
        "first_response_seconds_p90": 420.0,
        "handle_seconds_p50": 600.0,
        "resolved": 1,
        "back_to_bot": 1,
        "csat_mean": 3.5,
        "csat_positive_rate": 0.5,
        "csat_responses": 2,
        "csat_response_rate": 1.0,
        "per_agent": [
            {
                "agent_id": dana_id,
                "agent": "Dana",
                "handled": 2,
                "resolved": 1,
                "first_response_seconds_p50": 180.0,
                "handle_seconds_p50": 600.0,
                "csat_mean": 3.5,
                "csat_responses": 2,
            }
        ],
        "top_intents": [
            {"intent": "delivery_time", "count": 2},
            {"intent": "human_handoff", "count": 2},
            {"intent": "nlu_fallback", "count": 2},
            {"intent": "greet", "count": 1},
            {"intent": "inform", "count": 1},
            {"intent": "order_status", "count": 1},
            {"intent": "thank", "count": 1},
        ],
    }


async def test_the_scripted_day_gives_the_expected_report(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    desk = await play_day(engine, http_session, stand_in.url, RasaEvents(tmp_path / "events.db"))

    report = report_day(engine)

    dana = desk.agents.find("dana")
    assert dana is not None
    assert report == expected_day(dana.id)
    with engine.connect() as connection:
        left = connection.execute(select(schema.abandonments.c.how, schema.abandonments.c.left_at)).all()
    assert [(how, left_at.hour, left_at.minute) for how, left_at in left] == [("silent", 13, 1)]


def test_the_scripted_day_report_command_prints_the_same_summary() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "tests.support.scripted_day_report"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == expected_day(1)
