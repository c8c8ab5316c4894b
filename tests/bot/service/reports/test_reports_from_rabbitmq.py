"""The reports count the same events through RabbitMQ (scaled deployment) as through the SQL broker, each once."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import List, Sequence

import aio_pika
import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.service.handoff.broker_rabbitmq import RabbitBrokerConsumer
from bot.service.handoff.desk import HandoffDesk
from bot.service.reports import tables as schema
from bot.service.reports.event_recorder import ReportRecorder
from bot.service.reports.turn_tail import TurnTail
from tests.support.handoff_fixtures import StandInRasa
from tests.support.scripted_day import RasaEvents, play_day, report_day

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
INSTANCES = 2


def _turn_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(schema.turns)).scalar_one())


def _reply_seconds(engine: Engine) -> List[float]:
    with engine.connect() as connection:
        return [round(float(value), 3) for (value,) in connection.execute(select(schema.reply_times.c.seconds))]


async def _deliver(desk: HandoffDesk, engine: Engine, bodies: List[str]) -> None:
    """Publishes the events to a fresh exchange and lets two bot-service instances consume its queue in turn."""
    try:
        connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
    except Exception as error:  # any connection failure means the broker is not there
        pytest.skip(f"RabbitMQ at 127.0.0.1:5672 cannot be reached: {error}")
    name = f"report-test-{uuid.uuid4().hex[:10]}"
    handled: List[bytes] = []

    async def count(bodies: Sequence[bytes]) -> None:
        handled.extend(bodies)

    consumers = []
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(name, type=aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(name, durable=True)
        await queue.bind(exchange, "")
        for body in bodies:
            await exchange.publish(aio_pika.Message(body.encode()), routing_key="")
        for _ in range(INSTANCES):
            recorder = ReportRecorder(engine)  # each instance has its own, as each service process does

            async def record(bodies: Sequence[bytes], recorder: ReportRecorder = recorder) -> None:
                await asyncio.to_thread(recorder.take_many, [(body, None) for body in bodies])

            consumer = RabbitBrokerConsumer(desk, RABBITMQ_URL, name, name, listeners=[record, count])
            consumers.append(asyncio.ensure_future(consumer.run_forever()))
        try:
            for _ in range(300):
                if len(handled) >= len(bodies):
                    break
                await asyncio.sleep(0.1)
            assert len(handled) == len(bodies), "the consumers did not get every event"
        finally:
            for task in consumers:
                task.cancel()
            await asyncio.gather(*consumers, return_exceptions=True)
            await channel.queue_delete(name)
            await channel.exchange_delete(name)


async def test_a_day_through_rabbitmq_gives_the_report_of_the_sql_broker_and_counts_once(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    events = RasaEvents(tmp_path / "events.db")
    desk = await play_day(engine, http_session, stand_in.url, events, read_broker=False)
    assert _turn_rows(engine) == 0

    await _deliver(desk, engine, events.texts())
    through_rabbitmq = report_day(engine)

    assert _turn_rows(engine) == 10
    # the bot-only conversation's three replies, whichever instance got which of their events
    assert sorted(_reply_seconds(engine)) == [0.3, 0.4, 1.5]
    assert through_rabbitmq["conversations"] == 6
    assert through_rabbitmq["contained"] == 2
    assert through_rabbitmq["fallbacks"] == 2
    assert through_rabbitmq["top_intents"][:3] == [
        {"intent": "delivery_time", "count": 2},
        {"intent": "human_handoff", "count": 2},
        {"intent": "nlu_fallback", "count": 2},
    ]

    # the same events also in the SQL broker's table (a deployment that moved to RabbitMQ), and
    # delivered through RabbitMQ a second time (a redelivery): still each customer message once
    assert TurnTail(engine, str(events.path)).process_available() == 0
    await _deliver(desk, engine, events.texts())

    assert _turn_rows(engine) == 10
    assert sorted(_reply_seconds(engine)) == [0.3, 0.4, 1.5]
    assert report_day(engine) == through_rabbitmq
