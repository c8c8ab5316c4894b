"""The Redis-kept sliding window, on the machine's Redis: the same answers as the in-process limiter, shared by processes."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
import redis  # type: ignore[import-untyped]

from bot.service.login_throttle import LoginThrottle, limiters_in_redis
from bot.shared.security.errors import RateLimited
from bot.shared.security.redis_rate_limit import RedisSlidingWindowLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis cannot be reached at {REDIS_URL}: {error}")
    name = f"test-{secrets.token_hex(6)}"
    yield name
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)
    client.close()


def _limiter(prefix: str, clock: FakeClock, limit: int = 3, window: float = 60.0) -> RedisSlidingWindowLimiter:
    return RedisSlidingWindowLimiter.from_url(REDIS_URL, prefix, limit, window, clock)


def test_the_hit_over_the_limit_waits_for_the_oldest_to_leave_the_window(prefix: str) -> None:
    clock = FakeClock()
    limiter = _limiter(prefix, clock)
    for _ in range(3):
        assert limiter.hit("key") is None
        clock.now += 10
    assert limiter.hit("key") == pytest.approx(30.0)
    assert limiter.retry_after("key") == pytest.approx(30.0)
    clock.now += 30
    assert limiter.hit("key") is None


def test_a_refused_hit_is_not_counted_and_reset_forgets_the_key(prefix: str) -> None:
    clock = FakeClock()
    limiter = _limiter(prefix, clock, limit=1)
    assert limiter.hit("key") is None
    for _ in range(5):
        assert limiter.hit("key") == pytest.approx(60.0)
    clock.now += 60
    assert limiter.hit("key") is None
    limiter.reset("key")
    assert limiter.retry_after("key") is None


def test_forget_last_takes_back_the_latest_hit(prefix: str) -> None:
    limiter = _limiter(prefix, FakeClock(), limit=2)
    limiter.hit("key")
    limiter.hit("key")
    assert limiter.retry_after("key") is not None
    limiter.forget_last("key")
    assert limiter.retry_after("key") is None


def test_keys_do_not_share_a_count(prefix: str) -> None:
    limiter = _limiter(prefix, FakeClock(), limit=1)
    assert limiter.hit("dana") is None
    assert limiter.hit("sam") is None
    assert limiter.hit("dana") is not None


def test_concurrent_hits_from_many_clients_never_pass_the_limit_together(prefix: str) -> None:
    clients = [_limiter(prefix, FakeClock(), limit=5) for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda index: clients[index % 8].hit("key"), range(40)))
    assert sum(answer is None for answer in answers) == 5


def test_two_service_instances_count_failed_logins_together(prefix: str) -> None:
    instance_a = LoginThrottle(limiters=limiters_in_redis(REDIS_URL, prefix))
    instance_b = LoginThrottle(limiters=limiters_in_redis(REDIS_URL, prefix))
    for attempt in range(5):
        (instance_a if attempt % 2 else instance_b).attempt("Dana", "10.0.0.1")
    with pytest.raises(RateLimited):
        instance_a.attempt("dana", "10.0.0.2")
    with pytest.raises(RateLimited):
        instance_b.attempt("dana ", "10.0.0.3")
    instance_b.attempt("sam", "10.0.0.1")


def test_a_success_on_one_instance_clears_the_username_on_the_other(prefix: str) -> None:
    instance_a = LoginThrottle(limiters=limiters_in_redis(REDIS_URL, prefix))
    instance_b = LoginThrottle(limiters=limiters_in_redis(REDIS_URL, prefix))
    for _ in range(4):
        instance_a.attempt("dana", "10.0.0.1")
    instance_b.attempt("dana", "10.0.0.1")
    instance_b.succeeded("dana", "10.0.0.1")
    instance_a.attempt("dana", "10.0.0.1")
