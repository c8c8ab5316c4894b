"""The scripted day gives the figures a supervisor should see, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from sqlalchemy.engine import Engine

from tests.support.handoff_fixtures import StandInRasa
from tests.support.scripted_day import RasaEvents, play_day, report_day


async def test_the_scripted_day_gives_the_expected_report(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    await play_day(engine, http_session, stand_in.url, RasaEvents(tmp_path / "events.db"))

    report = report_day(engine)

    assert report["conversations"] == 6
    assert report["contained"] == 2
    assert report["containment_rate"] == 0.3333
    assert report["fallbacks"] == 2
    assert report["escalated"] == 3
    assert report["escalation_reasons"] == {"customer_request": 2, "repeated_fallback": 1}
    assert report["abandoned"] == 1
    assert report["first_response_seconds_p50"] == 180.0
    assert report["first_response_seconds_p90"] == 420.0
    assert report["handle_seconds_p50"] == 600.0
    assert report["resolved"] == 1 and report["back_to_bot"] == 1
    assert report["csat_mean"] == 3.5
    assert report["csat_positive_rate"] == 0.5
    assert report["csat_responses"] == 2 and report["csat_response_rate"] == 1.0
    assert report["per_agent"] == [
        {
            "agent_id": report["per_agent"][0]["agent_id"],
            "agent": "Dana",
            "handled": 2,
            "resolved": 1,
            "first_response_seconds_p50": 180.0,
            "handle_seconds_p50": 600.0,
            "csat_mean": 3.5,
            "csat_responses": 2,
        }
    ]
    assert report["top_intents"][:3] == [
        {"intent": "delivery_time", "count": 2},
        {"intent": "human_handoff", "count": 2},
        {"intent": "nlu_fallback", "count": 2},
    ]


async def test_a_chat_waiting_less_than_half_an_hour_is_not_yet_abandoned(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    from datetime import timedelta

    from tests.support.scripted_day import DAY

    await play_day(engine, http_session, stand_in.url, RasaEvents(tmp_path / "events.db"))

    assert report_day(engine, now=DAY + timedelta(hours=13, minutes=20))["abandoned"] == 0
