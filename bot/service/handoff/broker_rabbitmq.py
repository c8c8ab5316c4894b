"""Consumes the RabbitMQ queue Rasa's pika event broker publishes to (used when RABBITMQ_URL is set)."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, List, Sequence

import aio_pika

from bot.service.handoff.broker_events import customer_message
from bot.service.handoff.broker_recording import record_customer_message
from bot.service.handoff.desk import HandoffDesk

logger = logging.getLogger(__name__)
RASA_EXCHANGE = "rasa-exchange"
# Rasa publishes every event of every conversation; only a customer's turn can matter here, and its JSON
# always holds this token, so everything else is acknowledged without being parsed or looked up.
_USER_EVENT_TOKEN = b'"user"'
# The prefetch: at most this many events are held unacknowledged, and handed on together.
BATCH_SIZE = 50
# also given every event, in batches of those already delivered, before the desk's filter: the reports'
# recorder (bot/service/reports/event_recorder.py), which stores a batch in two transactions, not two per event
EventListener = Callable[[Sequence[bytes]], Awaitable[object]]


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
        if _USER_EVENT_TOKEN not in body:
            return False
        # one that can never be stored is dropped: re-queueing it would hand it back to us for ever
        return await record_customer_message(self._desk, customer_message(body), "a RabbitMQ message")

    async def handle_batch(self, messages: Sequence[aio_pika.abc.AbstractIncomingMessage]) -> None:
        """The listeners get the batch, then the desk each message in order; each is acknowledged once handled.

        Raises (after handing back, to be delivered again, what was not acknowledged) while the events cannot
        be stored yet.
        """
        done = 0
        try:
            bodies = [message.body for message in messages]
            for listener in self._listeners:
                await listener(bodies)
            for message in messages:
                await self.handle(message.body)
                await message.ack()
                done += 1
        except BaseException:
            for message in messages[done:]:
                await message.nack(requeue=True)
            raise

    async def run_forever(self) -> None:
        stopping = False
        while True:
            try:
                connection = await aio_pika.connect_robust(self._url)
                async with connection:
                    channel = await connection.channel()
                    await channel.set_qos(prefetch_count=BATCH_SIZE)
                    # the same fanout exchange and durable queue Rasa's pika broker declares,
                    # so whichever process starts first the events are kept
                    exchange = await channel.declare_exchange(self._exchange_name, type=aio_pika.ExchangeType.FANOUT)
                    queue = await channel.declare_queue(self._queue_name, durable=True)
                    await queue.bind(exchange, "")
                    delivered: asyncio.Queue[aio_pika.abc.AbstractIncomingMessage] = asyncio.Queue()
                    consumer_tag = await queue.consume(delivered.put)
                    try:
                        while True:
                            # acknowledged only after the transcript has it: a crash re-delivers
                            await self.handle_batch(await _next_batch(delivered))
                    except asyncio.CancelledError:
                        # closing the connection may raise an error of its own in place of the cancellation
                        stopping = True
                        raise
                    finally:
                        # what is still held unacknowledged goes back to the queue when the channel closes
                        if not channel.is_closed:
                            await queue.cancel(consumer_tag)
            except asyncio.CancelledError:
                raise
            except Exception:
                if stopping:
                    raise asyncio.CancelledError() from None
                logger.exception("RabbitMQ event consumer failed; reconnecting")
                await asyncio.sleep(2.0)


async def _next_batch(
    delivered: asyncio.Queue[aio_pika.abc.AbstractIncomingMessage],
) -> List[aio_pika.abc.AbstractIncomingMessage]:
    """The next message, waited for, and those delivered behind it, without waiting."""
    batch = [await delivered.get()]
    while len(batch) < BATCH_SIZE and not delivered.empty():
        batch.append(delivered.get_nowait())
    return batch
