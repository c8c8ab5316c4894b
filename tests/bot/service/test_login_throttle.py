"""Login throttling per username and per address, on an injected clock."""

from __future__ import annotations

import pytest

from bot.service.login_throttle import LoginThrottle
from bot.shared.security.errors import RateLimited


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _fail(throttle: LoginThrottle, username: str, address: str, times: int) -> None:
    for _ in range(times):
        throttle.attempt(username, address)


def test_five_failures_lock_the_username_for_fifteen_minutes() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock)
    _fail(throttle, "dana", "10.0.0.1", 5)
    with pytest.raises(RateLimited) as refused:
        throttle.attempt("dana", "10.0.0.2")
    assert refused.value.retry_after_seconds == 900
    assert "try again in 15 minutes" in str(refused.value)
    # other spellings of the same name are the same name
    with pytest.raises(RateLimited):
        throttle.attempt(" DANA ", "10.0.0.3")
    throttle.attempt("lee", "10.0.0.1")
    clock.now = 900.0
    throttle.attempt("dana", "10.0.0.1")


def test_twenty_failures_lock_the_address_whatever_the_username() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock)
    for number in range(20):
        throttle.attempt(f"user-{number}", "10.0.0.9")
    with pytest.raises(RateLimited):
        throttle.attempt("someone-new", "10.0.0.9")
    throttle.attempt("someone-new", "10.0.0.10")


def test_a_success_clears_the_usernames_failures_and_is_not_counted_for_the_address() -> None:
    throttle = LoginThrottle(FakeClock(), per_username=3, per_address=5)
    _fail(throttle, "dana", "10.0.0.1", 2)
    throttle.attempt("dana", "10.0.0.1")
    throttle.succeeded("dana", "10.0.0.1")
    # the username starts over; the address holds 4 failures, not 5 (the success is taken back)
    _fail(throttle, "dana", "10.0.0.1", 2)
    throttle.attempt("dana", "10.0.0.1")
    throttle.succeeded("dana", "10.0.0.1")


def test_an_attempt_refused_for_the_username_does_not_use_up_the_address() -> None:
    throttle = LoginThrottle(FakeClock(), per_username=1, per_address=3)
    throttle.attempt("dana", "10.0.0.1")
    for _ in range(10):
        with pytest.raises(RateLimited):
            throttle.attempt("dana", "10.0.0.1")
    throttle.attempt("lee", "10.0.0.1")
    throttle.attempt("kim", "10.0.0.1")
