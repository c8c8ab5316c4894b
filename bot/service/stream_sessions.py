"""The open event streams of each login token, so that logging out ends them at once."""

from __future__ import annotations

import asyncio
from typing import Dict, Set

from bot.service.handoff.passwords import token_digest


class StreamSessions:
    """Lives on the service's event loop; a stream waits on its event, logout sets it."""

    def __init__(self) -> None:
        self._ends: Dict[str, Set[asyncio.Event]] = {}

    def watch(self, token: str) -> asyncio.Event:
        ended = asyncio.Event()
        self._ends.setdefault(token_digest(token), set()).add(ended)
        return ended

    def unwatch(self, token: str, ended: asyncio.Event) -> None:
        key = token_digest(token)
        events = self._ends.get(key)
        if events is None:
            return
        events.discard(ended)
        if not events:
            del self._ends[key]

    def end(self, token: str) -> int:
        """Tells every stream opened with `token` to close; returns how many there were."""
        events = self._ends.pop(token_digest(token), set())
        for ended in events:
            ended.set()
        return len(events)

    def open_count(self, token: str) -> int:
        return len(self._ends.get(token_digest(token), ()))
