"""Throttles failed agent logins per username and per client address."""

from __future__ import annotations

import math
import time
from typing import Callable, Optional

from sanic.request import Request

from bot.shared.security.errors import RateLimited
from bot.shared.security.rate_limit import Clock, SlidingWindowLimiter, WindowLimiter
from bot.shared.security.redis_rate_limit import RedisSlidingWindowLimiter

LOGIN_WINDOW_SECONDS = 15 * 60
FAILURES_PER_USERNAME = 5
# several agents may sit behind one office address, so it gets more room than one account
FAILURES_PER_ADDRESS = 20

# (what is counted, the limit, the window in seconds) -> a limiter
LimiterFactory = Callable[[str, int, float], WindowLimiter]


def limiters_in_redis(url: str, key_prefix: str) -> LimiterFactory:
    """Limiters every bot-service instance of a deployment shares, so alternating instances gains no attempts."""

    def make(counted: str, limit: int, window_seconds: float) -> WindowLimiter:
        return RedisSlidingWindowLimiter.from_url(url, f"{key_prefix}:login:{counted}", limit, window_seconds)

    return make


def client_address(request: Request) -> str:
    """The forwarded address when Sanic is told to trust a proxy (PROXIES_COUNT), else the peer's."""
    return request.remote_addr or request.ip or "unknown"


class LoginThrottle:
    def __init__(
        self,
        clock: Clock = time.monotonic,
        per_username: int = FAILURES_PER_USERNAME,
        per_address: int = FAILURES_PER_ADDRESS,
        window_seconds: float = LOGIN_WINDOW_SECONDS,
        limiters: Optional[LimiterFactory] = None,
    ) -> None:
        """Counts in this process on `clock`, unless `limiters` (e.g. `limiters_in_redis`) keeps the counts."""
        make = limiters or (lambda _counted, limit, window: SlidingWindowLimiter(limit, window, clock))
        self._usernames = make("username", per_username, window_seconds)
        self._addresses = make("address", per_address, window_seconds)

    def attempt(self, username: str, address: str) -> None:
        """Counts a login attempt as failed until `succeeded`; raises RateLimited when over a limit.

        Counted before the password is checked, so parallel guesses cannot slip past together, and
        a refused attempt never reaches the password check.
        """
        user_key = _username_key(username)
        wait = self._addresses.hit(address)
        if wait is None:
            wait = self._usernames.hit(user_key)
            if wait is not None:
                self._addresses.forget_last(address)
        if wait is not None:
            raise RateLimited(f"too many failed logins; try again in {_in_words(wait)}", wait)

    def succeeded(self, username: str, address: str) -> None:
        self._usernames.reset(_username_key(username))
        self._addresses.forget_last(address)


def _username_key(username: str) -> str:
    # "Dana" and "dana " must not be fresh accounts to guess at
    return username.strip().casefold()


def _in_words(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(whole / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
