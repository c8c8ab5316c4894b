"""The sliding-window rate limiter of `rate_limit`, kept in Redis so that every process of a deployment counts together.

Behind a load balancer each bot-service instance would otherwise keep its own count, and a guesser who
alternates between them gets twice the attempts. The same interface as `SlidingWindowLimiter` (hit,
retry_after, forget_last, reset); each key is a sorted set of hit times, changed by one Lua script at a
time, so two processes hitting the same key at once cannot both slip under the limit. Hit times come
from the calling process's wall clock (`clock`), so the deployment's machines must keep their clocks in
step (NTP); a key expires on its own once its window has passed.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, Optional

import redis  # type: ignore[import-untyped]

from bot.shared.security.rate_limit import Clock

# KEYS[1] the key; ARGV: now, window, limit, a unique member for this hit, 1 to record it.
# Returns -1 when the hit is within the limit (and recorded if asked), else the seconds to wait.
_HIT = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
if ARGV[5] == '1' then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
end
return '-1'
"""


class RedisSlidingWindowLimiter:
    def __init__(
        self,
        client: Any,
        key_prefix: str,
        limit: int,
        window_seconds: float,
        clock: Clock = time.time,
    ) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("limit and window_seconds must be positive")
        self.limit = limit
        self.window_seconds = window_seconds
        self._client = client
        self._prefix = f"{key_prefix}:rate_limit:"
        self._clock = clock
        self._script = client.register_script(_HIT)

    @classmethod
    def from_url(
        cls, url: str, key_prefix: str, limit: int, window_seconds: float, clock: Clock = time.time
    ) -> RedisSlidingWindowLimiter:
        # a loopback round trip; the short timeouts keep a lost Redis from holding the event loop for long
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return cls(client, key_prefix, limit, window_seconds, clock)

    def hit(self, key: str) -> Optional[float]:
        return self._run(key, record=True)

    def retry_after(self, key: str) -> Optional[float]:
        return self._run(key, record=False)

    def forget_last(self, key: str) -> None:
        self._client.zpopmax(self._prefix + key)

    def reset(self, key: str) -> None:
        self._client.delete(self._prefix + key)

    def _run(self, key: str, record: bool) -> Optional[float]:
        member = secrets.token_hex(8)
        args = [repr(self._clock()), repr(float(self.window_seconds)), self.limit, member, "1" if record else "0"]
        wait = float(self._script(keys=[self._prefix + key], args=args))
        return None if wait < 0 else wait
