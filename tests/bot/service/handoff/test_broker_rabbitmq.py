"""Customer messages published by Rasa's pika broker to RabbitMQ reach the transcript."""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika
import aiohttp
import pytest
from sqlalchemy.engine import Engine

from bot.service.handoff.broker_rabbitmq import RASA_EXCHANGE, RabbitBrokerConsumer
from bot.service.handoff.desk import EscalationRequest
from bot.service.handoff.records import AgentStatus
from tests.support.handoff_fixtures import broker_desk

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"


async def test_messages_from_the_rabbitmq_queue_are_recorded(engine: Engine) -> None:
    try:
        connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
    except Exception as error:  # any connection failure means the broker is not there
        pytest.skip(f"RabbitMQ at 127.0.0.1:5672 cannot be reached: {error}")
    queue_name = f"handoff-test-{uuid.uuid4().hex[:10]}"

    async with aiohttp.ClientSession() as session:
        desk = broker_desk(engine, session)
        desk.agents.set_status(desk.agents.create("dana", "Dana", "password-123").id, AgentStatus.ONLINE)
        await desk.escalate(EscalationRequest("conv-rabbit", "rest", "customer_request", {}))
        updates = desk.live.subscribe()
        consumer = asyncio.ensure_future(RabbitBrokerConsumer(desk, RABBITMQ_URL, queue_name).run_forever())
        try:
            async with connection:
                channel = await connection.channel()
                exchange = await channel.declare_exchange(RASA_EXCHANGE, type=aio_pika.ExchangeType.FANOUT)
                # the consumer declares and binds its queue; wait until it has
                for _ in range(100):
                    try:
                        probe = await channel.declare_queue(queue_name, passive=True)
                        break
                    except aio_pika.exceptions.ChannelClosed:
                        channel = await connection.channel()
                        exchange = await channel.declare_exchange(RASA_EXCHANGE, type=aio_pika.ExchangeType.FANOUT)
                        await asyncio.sleep(0.1)
                assert probe is not None
                event = {
                    "event": "user",
                    "sender_id": "conv-rabbit",
                    "text": "still waiting here",
                    "timestamp": desk.clock().timestamp(),
                    "message_id": uuid.uuid4().hex,
                }
                await exchange.publish(aio_pika.Message(json.dumps(event).encode()), routing_key="")
                pushed = await asyncio.wait_for(updates.get(), 10)
                await channel.queue_delete(queue_name)
        finally:
            consumer.cancel()
    assert pushed["type"] == "message" and pushed["message"]["text"] == "still waiting here"
    handoff = desk.queue.open_for_conversation("conv-rabbit")
    assert [message.text for message in desk.transcripts.messages(handoff.id)] == ["still waiting here"]


async def test_a_consumer_stopped_mid_stream_loses_and_repeats_nothing(engine: Engine) -> None:
    """The first consumer holds all five (prefetch) and is stopped after storing the first: the
    unacknowledged rest go to the next consumer, and anything stored but not acknowledged is kept once."""
    try:
        connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
    except Exception as error:  # any connection failure means the broker is not there
        pytest.skip(f"RabbitMQ at 127.0.0.1:5672 cannot be reached: {error}")
    queue_name = f"handoff-test-{uuid.uuid4().hex[:10]}"
    texts = [f"message {n}" for n in range(5)]

    async with aiohttp.ClientSession() as session, connection:
        desk = broker_desk(engine, session)
        desk.agents.set_status(desk.agents.create("dana", "Dana", "password-123").id, AgentStatus.ONLINE)
        await desk.escalate(EscalationRequest("conv-rabbit", "rest", "customer_request", {}))
        channel = await connection.channel()
        exchange = await channel.declare_exchange(RASA_EXCHANGE, type=aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(queue_name, durable=True)
        await queue.bind(exchange, "")
        for n, text in enumerate(texts):
            event = {
                "event": "user",
                "sender_id": "conv-rabbit",
                "text": text,
                "timestamp": desk.clock().timestamp() + n / 1000,
                "message_id": f"{queue_name}-{n}",
            }
            await exchange.publish(aio_pika.Message(json.dumps(event).encode()), routing_key="")
        updates = desk.live.subscribe()
        try:
            first = asyncio.ensure_future(RabbitBrokerConsumer(desk, RABBITMQ_URL, queue_name).run_forever())
            await asyncio.wait_for(updates.get(), 10)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            second = asyncio.ensure_future(RabbitBrokerConsumer(desk, RABBITMQ_URL, queue_name).run_forever())

            handoff = desk.queue.open_for_conversation("conv-rabbit")

            async def all_stored() -> None:
                while len(desk.transcripts.messages(handoff.id)) < len(texts):
                    await asyncio.sleep(0.05)

            await asyncio.wait_for(all_stored(), 15)
            await asyncio.sleep(0.5)  # anything delivered twice would arrive by now
            second.cancel()
            # the queue is empty: every message was acknowledged once it was stored
            probe = await channel.declare_queue(queue_name, passive=True)
            assert probe.declaration_result.message_count == 0
        finally:
            await channel.queue_delete(queue_name)
    assert [message.text for message in desk.transcripts.messages(handoff.id)] == texts
