"""Throttles failed agent logins per username and per client address."""

from __future__ import annotations

import math
import time

from sanic.request import Request

from bot.shared.security.errors import RateLimited
from bot.shared.security.rate_limit import Clock, SlidingWindowLimiter

LOGIN_WINDOW_SECONDS = 15 * 60
FAILURES_PER_USERNAME = 5
# several agents may sit behind one office address, so it gets more room than one account
FAILURES_PER_ADDRESS = 20


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
    ) -> None:
        self._usernames = SlidingWindowLimiter(per_username, window_seconds, clock)
        self._addresses = SlidingWindowLimiter(per_address, window_seconds, clock)

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
