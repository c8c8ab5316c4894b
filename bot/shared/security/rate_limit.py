"""A sliding-window rate limiter kept in memory, for throttling public routes per key.

Interface::

    limiter = SlidingWindowLimiter(limit=5, window_seconds=900)   # clock defaults to time.monotonic
    wait = limiter.hit(key)          # records one hit; None if it was within the limit, otherwise
                                     # the seconds until the key may try again (the refused hit is
                                     # not recorded, so hammering does not extend the wait)
    wait = limiter.retry_after(key)  # the same answer without recording anything
    limiter.forget_last(key)         # take back the latest hit (an attempt that turned out fine)
    limiter.reset(key)               # forget all of the key's hits (e.g. after a successful login)

A key is any string: a username, a client address, "route:address". At most `limit` hits count
within any `window_seconds`. The state lives in this process only (`redis_rate_limit` keeps it where
every process of a deployment sees it); at most `max_keys` keys are kept, the least recently hit ones are dropped first.
Counting before the work is done (hit, then verify, then forget_last on success) keeps
concurrent requests from slipping past the limit together. Inject `clock` (seconds, monotonic)
in tests instead of sleeping. Raise `RateLimited` from `bot.shared.security.errors` with the returned
wait; the bot service's error handler answers it with 429, a Retry-After header and
`{"error", "retry_after_seconds"}` (another Sanic app needs a handler of its own).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Callable, Deque, Optional, Protocol

Clock = Callable[[], float]


class WindowLimiter(Protocol):
    """What a limiter offers, kept in this process (`SlidingWindowLimiter`) or in Redis (`redis_rate_limit`)."""

    def hit(self, key: str) -> Optional[float]: ...

    def retry_after(self, key: str) -> Optional[float]: ...

    def forget_last(self, key: str) -> None: ...

    def reset(self, key: str) -> None: ...


class SlidingWindowLimiter:
    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Clock = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if limit < 1 or window_seconds <= 0 or max_keys < 1:
            raise ValueError("limit, window_seconds and max_keys must be positive")
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, Deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> Optional[float]:
        with self._lock:
            now = self._clock()
            wait = self._wait(key, now)
            if wait is not None:
                return wait
            self._hits.setdefault(key, deque()).append(now)
            self._hits.move_to_end(key)
            self._forget_stale(now)
            return None

    def retry_after(self, key: str) -> Optional[float]:
        with self._lock:
            return self._wait(key, self._clock())

    def forget_last(self, key: str) -> None:
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()
                if not hits:
                    del self._hits[key]

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)

    def _wait(self, key: str, now: float) -> Optional[float]:
        hits = self._hits.get(key)
        if hits is None:
            return None
        while hits and hits[0] <= now - self.window_seconds:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return None
        if len(hits) < self.limit:
            return None
        # the oldest hit that still counts has to leave the window first
        return hits[-self.limit] + self.window_seconds - now

    def _forget_stale(self, now: float) -> None:
        # keys are kept in the order of their latest hit, so the stale ones are at the front
        while self._hits:
            oldest = next(iter(self._hits.values()))
            if oldest[-1] > now - self.window_seconds and len(self._hits) <= self._max_keys:
                return
            self._hits.popitem(last=False)
