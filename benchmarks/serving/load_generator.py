"""Plays many simulated customers at once through Rasa's REST channel and times every reply."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np

from benchmarks.serving.conversations import Conversation

REQUEST_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    conversations: int
    messages: int
    failures: int
    wall_seconds: float
    messages_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    def as_dict(self) -> Dict[str, float]:
        return dict(self.__dict__)


async def _play(session, url: str, conversation: Conversation, latencies: List[float]) -> int:
    """Sends the turns in order, each after the previous reply; returns how many failed."""
    import aiohttp

    sender = f"bench-{uuid.uuid4().hex[:12]}"
    failures = 0
    for text in conversation.messages:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                body = await response.json(content_type=None)
                ok = response.status == 200 and isinstance(body, list)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            ok = False
        latencies.append(time.perf_counter() - started)
        failures += 0 if ok else 1
    return failures


async def run_load(
    rasa_url: str,
    conversations: Sequence[Conversation],
    concurrency: int,
    headers: Optional[Dict[str, str]] = None,
) -> LoadResult:
    """`concurrency` customers at a time, each starting the next conversation when one ends."""
    import aiohttp

    url = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
    queue = iter(conversations)
    latencies: List[float] = []
    failures = 0
    lock = asyncio.Lock()

    async def customer(session) -> None:
        nonlocal failures
        while True:
            async with lock:
                conversation = next(queue, None)
            if conversation is None:
                return
            failures += await _play(session, url, conversation, latencies)

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector, headers=headers) as session:
        started = time.perf_counter()
        await asyncio.gather(*(customer(session) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    latencies_ms = np.array(latencies) * 1000
    return LoadResult(
        concurrency=concurrency,
        conversations=len(conversations),
        messages=len(latencies),
        failures=failures,
        wall_seconds=round(wall, 2),
        messages_per_second=round(len(latencies) / wall, 2) if wall else 0.0,
        p50_ms=round(float(np.percentile(latencies_ms, 50)), 1),
        p95_ms=round(float(np.percentile(latencies_ms, 95)), 1),
        p99_ms=round(float(np.percentile(latencies_ms, 99)), 1),
    )


def conversations_for(concurrency: int, per_customer: int, make) -> List[Conversation]:
    """Enough conversations that every customer plays several, so the run reaches a steady state."""
    return list(itertools.islice(make(concurrency * per_customer), concurrency * per_customer))
