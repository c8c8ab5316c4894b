"""Plays simulated customers through Rasa's REST channel or the web chat's socket.io channel.

Closed loop (`run_load`): a fixed number of customers, each sending its next turn when the previous reply
came. Open loop (`run_arrivals`): new conversations arrive at random (Poisson) at a given rate whatever
the server's speed. Every reply is timed and checked against what the turn expects.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Set

import numpy as np

from benchmarks.serving.conversations import Conversation, Turn

REQUEST_TIMEOUT_SECONDS = 30.0
TRANSPORTS = ("rest", "socketio")


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    conversations: int
    messages: int
    failures: int
    wrong_replies: int
    wall_seconds: float
    messages_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    def as_dict(self) -> Dict[str, float]:
        return dict(self.__dict__)


@dataclass
class Tally:
    """Latencies and outcomes of the turns played so far."""

    latencies: List[float] = field(default_factory=list)
    failures: int = 0
    wrong_replies: int = 0
    examples: List[str] = field(default_factory=list)

    def add(self, turn: Turn, seconds: float, replies: Optional[List[str]]) -> None:
        self.latencies.append(seconds)
        if replies is None:
            self.failures += 1
        elif not turn.answered_by(replies):
            self.wrong_replies += 1
            if len(self.examples) < 5:
                self.examples.append(f"{turn.text!r} -> {replies!r}")

    def percentile_ms(self, percent: float) -> float:
        if not self.latencies:
            return 0.0
        return round(float(np.percentile(np.array(self.latencies) * 1000, percent)), 1)


class Target:
    """Where the customers write: the deployment's public Rasa URL and, for REST, its headers."""

    def __init__(self, rasa_url: str, rest_headers: Optional[Dict[str, str]], web_chat: bool) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.rest_headers = rest_headers or {}
        # the project's web chat issues a signed session; the starter's stock channel takes any id
        self.web_chat = web_chat


async def _play_rest(session: Any, target: Target, conversation: Conversation, tally: Tally) -> None:
    import aiohttp

    url = f"{target.rasa_url}/webhooks/rest/webhook"
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    for turn in conversation.turns:
        started = time.perf_counter()
        replies: Optional[List[str]] = None
        try:
            async with session.post(url, json={"sender": sender, "message": turn.text}) as response:
                body = await response.json(content_type=None)
                if response.status == 200 and isinstance(body, list):
                    replies = [str(message.get("text", "")) for message in body if isinstance(message, dict)]
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            replies = None
        tally.add(turn, time.perf_counter() - started, replies)


async def _open_socket(target: Target) -> tuple:
    """A connected socket.io client with its session id, and the list bot messages arrive in."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    inbox: List[str] = []
    client.on("bot_uttered", lambda message: inbox.append(str((message or {}).get("text", ""))))
    confirmed: Dict[str, Any] = {}
    ready = asyncio.Event()

    def on_confirm(session: Any) -> None:
        confirmed["session_id"] = session
        ready.set()

    client.on("session_confirm", on_confirm)
    # python-socketio's websocket client needs a newer aiohttp than Rasa allows: long polling
    await client.connect(target.rasa_url, transports=["polling"], wait_timeout=REQUEST_TIMEOUT_SECONDS)
    request = {} if target.web_chat else {"session_id": uuid.uuid4().hex}
    await client.emit("session_request", request)
    await asyncio.wait_for(ready.wait(), REQUEST_TIMEOUT_SECONDS)
    return client, str(confirmed["session_id"]), inbox


async def _play_socketio(target: Target, conversation: Conversation, tally: Tally, closing: Set[Any]) -> None:
    try:
        client, session_id, inbox = await _open_socket(target)
    except Exception:  # noqa: BLE001 - a connection that fails fails every turn of the conversation
        for turn in conversation.turns:
            tally.add(turn, REQUEST_TIMEOUT_SECONDS, None)
        return
    try:
        for turn in conversation.turns:
            inbox.clear()
            started = time.perf_counter()
            replies: Optional[List[str]] = None
            try:
                # the acknowledgement comes once every bot message of the turn was emitted
                await client.call(
                    "user_uttered",
                    {"message": turn.text, "session_id": session_id, "message_id": uuid.uuid4().hex},
                    timeout=REQUEST_TIMEOUT_SECONDS,
                )
                replies = list(inbox)
            except Exception:  # noqa: BLE001 - socket.io's timeouts and disconnects alike
                replies = None
            tally.add(turn, time.perf_counter() - started, replies)
    finally:
        # a long-polling client leaves only when its pending poll returns (up to the ping interval): the
        # next conversation does not wait for that
        task = asyncio.ensure_future(client.disconnect())
        closing.add(task)
        task.add_done_callback(closing.discard)


def _session(concurrency: int, headers: Dict[str, str]) -> Any:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=max(concurrency, 1))
    return aiohttp.ClientSession(timeout=timeout, connector=connector, headers=headers)


async def run_load(
    target: Target, conversations: Sequence[Conversation], concurrency: int, transport: str = "rest"
) -> LoadResult:
    """`concurrency` customers at a time, each starting the next conversation when one ends."""
    queue = iter(conversations)
    tally = Tally()
    closing: Set[Any] = set()

    async with _session(concurrency, target.rest_headers) as session:

        async def customer() -> None:
            for conversation in queue:
                if transport == "rest":
                    await _play_rest(session, target, conversation, tally)
                else:
                    await _play_socketio(target, conversation, tally, closing)

        started = time.perf_counter()
        await asyncio.gather(*(customer() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    await _abandon(closing)
    return _result(tally, concurrency, len(conversations), wall)


async def _abandon(closing: Set[Any]) -> None:
    """Clients still leaving after the run are given a moment, then cut off."""
    if closing:
        _, pending = await asyncio.wait(list(closing), timeout=2.0)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


async def run_arrivals(
    target: Target, conversations: Sequence[Conversation], rate_per_second: float, seed: int = 5
) -> LoadResult:
    """New conversations arrive at `rate_per_second` on average (exponential gaps), each playing its turns."""
    chooser = random.Random(seed)
    tally = Tally()
    async with _session(256, target.rest_headers) as session:
        started = time.perf_counter()
        running = []
        for conversation in conversations:
            running.append(asyncio.create_task(_play_rest(session, target, conversation, tally)))
            await asyncio.sleep(chooser.expovariate(rate_per_second))
        await asyncio.gather(*running)
        wall = time.perf_counter() - started
    return _result(tally, 0, len(conversations), wall)


def _result(tally: Tally, concurrency: int, conversations: int, wall: float) -> LoadResult:
    return LoadResult(
        concurrency=concurrency,
        conversations=conversations,
        messages=len(tally.latencies),
        failures=tally.failures,
        wrong_replies=tally.wrong_replies,
        wall_seconds=round(wall, 2),
        messages_per_second=round(len(tally.latencies) / wall, 2) if wall else 0.0,
        p50_ms=tally.percentile_ms(50),
        p95_ms=tally.percentile_ms(95),
        p99_ms=tally.percentile_ms(99),
    )


def conversations_for(concurrency: int, per_customer: int, make: Any) -> List[Conversation]:
    """Enough conversations that every customer plays several, so the run reaches a steady state."""
    return list(itertools.islice(make(concurrency * per_customer), concurrency * per_customer))
