"""Consumes the RabbitMQ queue Rasa's pika event broker publishes to (used when RABBITMQ_URL is set)."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Sequence

import aio_pika

from bot.service.handoff.broker_events import customer_message
from bot.service.handoff.broker_recording import record_customer_message
from bot.service.handoff.desk import HandoffDesk

logger = logging.getLogger(__name__)
RASA_EXCHANGE = "rasa-exchange"
# Rasa publishes every event of every conversation; only a customer's turn can matter here, and its JSON
# always holds this token, so everything else is acknowledged without being parsed or looked up.
_USER_EVENT_TOKEN = b'"user"'
# also given every event, before the desk's filter: the reports' recorder (bot/service/reports/event_recorder.py)
EventListener = Callable[[bytes], Awaitable[object]]


class RabbitBrokerConsumer:
    def __init__(
        self,
        desk: HandoffDesk,
        url: str,
        queue_name: str,
        exchange_name: str = RASA_EXCHANGE,
        listeners: Sequence[EventListener] = (),
    ) -> None:
        self._desk = desk
        self._listeners = tuple(listeners)
        self._url = url
        self._queue_name = queue_name
        self._exchange_name = exchange_name

    async def handle(self, body: bytes) -> bool:
        """Raises while the message cannot be stored yet (it is then delivered again)."""
        for listener in self._listeners:
            await listener(body)
        if _USER_EVENT_TOKEN not in body:
            return False
        # one that can never be stored is dropped: re-queueing it would hand it back to us for ever
        return await record_customer_message(self._desk, customer_message(body), "a RabbitMQ message")

    async def run_forever(self) -> None:
        while True:
            try:
                connection = await aio_pika.connect_robust(self._url)
                async with connection:
                    channel = await connection.channel()
                    await channel.set_qos(prefetch_count=50)
                    # the same fanout exchange and durable queue Rasa's pika broker declares,
                    # so whichever process starts first the events are kept
                    exchange = await channel.declare_exchange(self._exchange_name, type=aio_pika.ExchangeType.FANOUT)
                    queue = await channel.declare_queue(self._queue_name, durable=True)
                    await queue.bind(exchange, "")
                    async with queue.iterator() as messages:
                        async for incoming in messages:
                            # acknowledged only after the transcript has it: a crash re-delivers
                            async with incoming.process(requeue=True):
                                await self.handle(incoming.body)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("RabbitMQ event consumer failed; reconnecting")
                await asyncio.sleep(2.0)
