"""Updates shared between the processes of one deployment over a Redis pub/sub channel.

Each process publishes what happened in it and hears what happened in the others; its own messages come
back to it too and are dropped by their origin, since it delivered them locally already. Pub/sub keeps
nothing: a process that is down or reconnecting misses what was said meanwhile, which is what live
updates can afford (the consoles reload their lists when their stream reopens).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from typing import Any, Callable, Dict

import redis.asyncio as aioredis  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)
Message = Dict[str, Any]
RECONNECT_SECONDS = 1.0


class RedisRelay:
    """Publishes and hears JSON messages on one channel; `run()` is the task that does both."""

    def __init__(self, url: str, channel: str, deliver: Callable[[Message], None], max_pending: int = 1000) -> None:
        self.channel = channel
        self.origin = secrets.token_hex(8)
        self._url = url
        self._deliver = deliver
        self._outgoing: asyncio.Queue[Message] = asyncio.Queue(max_pending)

    def send(self, message: Message) -> None:
        """Queued for the publishing task; dropped if Redis has been away so long the queue is full."""
        with contextlib.suppress(asyncio.QueueFull):
            self._outgoing.put_nowait({"origin": self.origin, "message": message})

    async def run(self) -> None:
        publisher = aioredis.Redis.from_url(self._url, socket_timeout=5, socket_connect_timeout=5)
        # a subscriber waits for as long as nobody speaks: no read timeout, a ping now and then instead
        listener = aioredis.Redis.from_url(self._url, socket_connect_timeout=5, health_check_interval=30)
        try:
            await asyncio.gather(self._publish_forever(publisher), self._listen_forever(listener))
        finally:
            await publisher.close()
            await listener.close()

    async def _publish_forever(self, client: aioredis.Redis) -> None:
        while True:
            envelope = await self._outgoing.get()
            try:
                await client.publish(self.channel, json.dumps(envelope, default=str))
            except aioredis.RedisError as error:
                logger.warning("could not publish a live update to Redis: %s", error)
                await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen_forever(self, client: aioredis.Redis) -> None:
        while True:
            try:
                async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for raw in pubsub.listen():
                        self._hear(raw)
            except aioredis.RedisError as error:
                logger.warning("Redis live-update channel lost (%s); subscribing again", error)
                await asyncio.sleep(RECONNECT_SECONDS)

    def _hear(self, raw: Any) -> None:
        if not isinstance(raw, dict) or raw.get("type") != "message":
            return
        try:
            envelope = json.loads(raw["data"])
        except (TypeError, ValueError):
            return
        if not isinstance(envelope, dict) or envelope.get("origin") == self.origin:
            return
        message = envelope.get("message")
        if isinstance(message, dict):
            self._deliver(message)
