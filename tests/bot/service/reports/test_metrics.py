"""The Prometheus exposition after the scripted day: the counts, no conversation ids or text."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from prometheus_client import generate_latest
from prometheus_client.registry import CollectorRegistry
from sqlalchemy.engine import Engine

from bot.service.metrics_collector import SupportCollector
from tests.support.handoff_fixtures import StandInRasa
from tests.support.scripted_day import CUSTOMER_EMAIL, RasaEvents, play_day


async def _exposed_after_the_day(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> str:
    """What /metrics exposes once the scripted day has been played."""
    desk = await play_day(engine, http_session, stand_in.url, RasaEvents(tmp_path / "events.db"))
    registry = CollectorRegistry()
    registry.register(SupportCollector(engine, desk.clock))
    return str(generate_latest(registry).decode())


async def test_metrics_count_the_day_and_name_nobody(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    exposed = await _exposed_after_the_day(engine, stand_in, http_session, tmp_path)

    assert 'support_customer_messages_total{channel="socketio"} 10.0' in exposed
    assert 'support_fallbacks_total{channel="socketio"} 2.0' in exposed
    assert 'support_handoffs_total{reason="customer_request"} 2.0' in exposed
    assert "support_queue_length 1.0" in exposed
    assert 'support_wait_seconds_bucket{le="120.0"} 1.0' in exposed
    assert "support_wait_seconds_count 2.0" in exposed
    assert "support_agent_replies_total 2.0" in exposed
    assert 'support_ratings_total{score="5"} 1.0' in exposed
    assert "web-kim" not in exposed and CUSTOMER_EMAIL not in exposed


async def test_rasa_reply_times_from_the_broker_events_form_a_histogram(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    exposed = await _exposed_after_the_day(engine, stand_in, http_session, tmp_path)

    # the scripted day's bot-only conversation: replies after 0.4, 1.5 and 0.3 seconds; the other turns
    # have no bot line before the next message (no reply time)
    assert 'support_rasa_reply_seconds_bucket{le="0.25"} 0.0' in exposed
    assert 'support_rasa_reply_seconds_bucket{le="0.5"} 2.0' in exposed
    assert 'support_rasa_reply_seconds_bucket{le="1.0"} 2.0' in exposed
    assert 'support_rasa_reply_seconds_bucket{le="2.0"} 3.0' in exposed
    assert "support_rasa_reply_seconds_count 3.0" in exposed
    assert "support_rasa_reply_seconds_sum 2.2" in exposed
