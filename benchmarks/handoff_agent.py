"""The agent's side of a handoff as the console does it: log in, go online, follow the live stream, answer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Dict, List, Optional, Tuple


class AgentStepFailed(RuntimeError):
    """The agent API answered otherwise than the console expects, or an update did not come in time."""


@dataclass(frozen=True)
class StreamEvent:
    """One server-sent event of GET /api/stream and the moment it was read."""

    kind: str
    data: Dict[str, Any]
    arrived: float


def parse_event_block(block: str) -> Optional[Tuple[str, Dict[str, Any]]]:
    """One `event:`/`data:` block of a text/event-stream; None for comments (heartbeats) and retry lines."""
    kind, data = "", []
    for line in block.splitlines():
        if line.startswith("event:"):
            kind = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:") :].strip())
    if not kind:
        return None
    payload = json.loads("\n".join(data)) if data else {}
    return kind, payload if isinstance(payload, dict) else {}


class AgentConsole:
    """One agent session against the bot service, with the console's live stream read in the background."""

    def __init__(self, http: Any, service_url: str, wait_seconds: float) -> None:
        self.http = http
        self.service_url = service_url
        self.wait_seconds = wait_seconds
        self.headers: Dict[str, str] = {}
        self._events: List[StreamEvent] = []
        self._arrived = asyncio.Condition()
        self._reader: Optional[asyncio.Task[None]] = None

    async def _call(self, method: str, path: str, expected: Tuple[int, ...], body: Any = None) -> Dict[str, Any]:
        async with self.http.request(method, f"{self.service_url}{path}", json=body, headers=self.headers) as response:
            if response.status not in expected:
                raise AgentStepFailed(f"{method} {path} answered {response.status}: {await response.text()}")
            answer: Dict[str, Any] = await response.json()
            return answer

    async def log_in(self, username: str, password: str) -> None:
        answer = await self._call("POST", "/api/agents/login", (200,), {"username": username, "password": password})
        self.headers = {"Authorization": f"Bearer {answer['token']}"}
        await self._call("POST", "/api/agents/me/status", (200,), {"status": "online"})
        ticket = (await self._call("POST", "/api/stream/ticket", (201,)))["ticket"]
        ready = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read_stream(ticket, ready))
        await asyncio.wait_for(ready.wait(), self.wait_seconds)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def _read_stream(self, ticket: str, ready: asyncio.Event) -> None:
        import aiohttp

        # the stream stays open for the whole run: no total timeout
        async with self.http.get(
            f"{self.service_url}/api/stream",
            params={"ticket": ticket},
            timeout=aiohttp.ClientTimeout(total=None, sock_read=None),
        ) as response:
            if response.status != 200:
                raise AgentStepFailed(f"GET /api/stream answered {response.status}")
            async for block in _blocks(response.content):
                parsed = parse_event_block(block)
                if parsed is None:
                    continue
                if parsed[0] == "ready":
                    ready.set()
                async with self._arrived:
                    self._events.append(StreamEvent(parsed[0], parsed[1], time.perf_counter()))
                    self._arrived.notify_all()

    def event_count(self) -> int:
        return len(self._events)

    async def wait_for_event(self, matches: Callable[[StreamEvent], bool], what: str, after: int = 0) -> StreamEvent:
        """The first stream event from the `after`-th on that `matches`."""
        deadline = time.monotonic() + self.wait_seconds
        async with self._arrived:
            while True:
                found = next((event for event in self._events[after:] if matches(event)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or (self._reader is not None and self._reader.done()):
                    raise AgentStepFailed(f"the agent's live stream had no {what} within {self.wait_seconds:.0f} s")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), min(left, 1.0))

    async def waiting_handoffs(self) -> List[Dict[str, Any]]:
        handoffs: List[Dict[str, Any]] = (await self._call("GET", "/api/handoffs?status=waiting", (200,)))["handoffs"]
        return handoffs

    async def claim(self, handoff_id: int) -> None:
        await self._call("POST", f"/api/handoffs/{handoff_id}/claim", (200,))

    async def send(self, handoff_id: int, text: str) -> None:
        # 201: Rasa confirmed the message; 202 would mean only queued for a retry
        await self._call("POST", f"/api/handoffs/{handoff_id}/messages", (201,), {"text": text})

    async def hand_back(self, handoff_id: int) -> None:
        await self._call("POST", f"/api/handoffs/{handoff_id}/close", (200, 202), {"outcome": "back_to_bot"})


async def _blocks(content: Any) -> AsyncIterator[str]:
    """The blank-line separated blocks of a text/event-stream body as they arrive."""
    lines: List[str] = []
    async for raw in content:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line:
            lines.append(line)
        elif lines:
            yield "\n".join(lines)
            lines = []
