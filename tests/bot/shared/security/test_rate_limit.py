"""The sliding-window limiter: limits per key, waits, resets, windows sliding on an injected clock."""

from __future__ import annotations

import pytest

from bot.shared.security.errors import RateLimited
from bot.shared.security.rate_limit import SlidingWindowLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hits_within_the_limit_pass_and_the_next_one_waits_for_the_oldest() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit=3, window_seconds=60, clock=clock)
    for _ in range(3):
        assert limiter.hit("dana") is None
        clock.now += 10
    # hits at 1000, 1010, 1020; now 1030: the first leaves the window at 1060
    assert limiter.hit("dana") == pytest.approx(30)
    assert limiter.retry_after("dana") == pytest.approx(30)
    assert limiter.hit("lee") is None, "keys are counted apart"


def test_refused_hits_do_not_extend_the_wait() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit=2, window_seconds=60, clock=clock)
    limiter.hit("k")
    limiter.hit("k")
    for _ in range(50):
        clock.now += 1
        assert limiter.hit("k") is not None
    clock.now = 1060.0
    assert limiter.retry_after("k") is None
    assert limiter.hit("k") is None


def test_the_window_slides_one_hit_at_a_time() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit=2, window_seconds=100, clock=clock)
    limiter.hit("k")  # 1000
    clock.now = 1050.0
    limiter.hit("k")  # 1050
    clock.now = 1100.0  # the first has left, the second still counts
    assert limiter.hit("k") is None
    assert limiter.retry_after("k") == pytest.approx(50)


def test_retry_after_records_nothing_and_reset_forgets() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit=1, window_seconds=60, clock=clock)
    for _ in range(5):
        assert limiter.retry_after("k") is None
    assert limiter.hit("k") is None
    assert limiter.retry_after("k") == pytest.approx(60)
    limiter.reset("k")
    assert limiter.hit("k") is None


def test_memory_is_bounded_by_max_keys() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit=1, window_seconds=60, clock=clock, max_keys=3)
    for key in ["a", "b", "c", "d"]:
        limiter.hit(key)
    # the least recently hit key was dropped, the others are still limited
    assert limiter.retry_after("a") is None
    assert all(limiter.retry_after(key) is not None for key in ["b", "c", "d"])
    clock.now += 61
    limiter.hit("e")
    assert limiter.retry_after("b") is None


def test_nonsense_limits_are_refused() -> None:
    for arguments in [(0, 60), (1, 0)]:
        with pytest.raises(ValueError):
            SlidingWindowLimiter(*arguments)


def test_rate_limited_rounds_the_wait_up_to_whole_seconds() -> None:
    assert RateLimited("slow down", 0.2).retry_after_seconds == 1
    assert RateLimited("slow down", 59.01).retry_after_seconds == 60
    assert str(RateLimited("slow down", 3)) == "slow down"
