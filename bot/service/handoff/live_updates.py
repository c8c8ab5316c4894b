"""Fan-out of queue and chat events to the agent consoles connected to this process, and to the others'.

With a relay (Redis pub/sub, bot/shared/redis_relay.py) every update is also sent to the deployment's
other bot-service processes, and theirs arrive here through `deliver`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Dict, Optional, Protocol, Set

Update = Dict[str, Any]


class Relay(Protocol):
    def send(self, message: Update) -> None: ...


class LiveUpdates:
    """Each console stream gets its own bounded queue; a stalled console only loses its own updates."""

    def __init__(self, max_pending: int = 500) -> None:
        self._subscribers: Set[asyncio.Queue[Update]] = set()
        self._max_pending = max_pending
        self._relay: Optional[Relay] = None

    def relay_to(self, relay: Optional[Relay]) -> None:
        self._relay = relay

    def subscribe(self) -> asyncio.Queue[Update]:
        queue: asyncio.Queue[Update] = asyncio.Queue(self._max_pending)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Update]) -> None:
        self._subscribers.discard(queue)

    def publish(self, kind: str, **payload: Any) -> None:
        update = {"type": kind, **payload}
        self.deliver(update)
        if self._relay is not None:
            self._relay.send(update)

    def deliver(self, update: Update) -> None:
        """To the consoles connected to this process only."""
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(update)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)
