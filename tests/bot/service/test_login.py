"""Logging in over HTTP: throttled per username and per address with 429 and Retry-After."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import pytest
import requests

from bot.service.login_throttle import LoginThrottle
from tests.support.handoff_fixtures import RunningService

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(service: RunningService) -> FakeClock:
    clock = FakeClock()
    service.app.ctx.login_throttle = LoginThrottle(clock)
    return clock


def log_in(service: RunningService, username: str, password: str) -> requests.Response:
    return requests.post(
        f"{service.url}/api/agents/login", json={"username": username, "password": password}, timeout=10
    )


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(
    service: RunningService, create_agent: Callable[..., str], clock: FakeClock
) -> None:
    create_agent(service, "dana")
    for _ in range(5):
        assert log_in(service, "dana", "guess-guess").status_code == 401
    locked = log_in(service, "dana", "password-123")
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "900"
    assert locked.json() == {
        "error": "too many failed logins; try again in 15 minutes",
        "retry_after_seconds": 900,
    }
    clock.now = 600.0
    assert log_in(service, "dana", "password-123").headers["Retry-After"] == "300"
    clock.now = 900.0
    assert log_in(service, "dana", "password-123").status_code == 200


def test_a_successful_login_clears_that_usernames_failures(
    service: RunningService, create_agent: Callable[..., str], clock: FakeClock
) -> None:
    create_agent(service, "dana")
    for _ in range(4):
        assert log_in(service, "dana", "guess-guess").status_code == 401
    assert log_in(service, "dana", "password-123").status_code == 200
    for _ in range(5):
        assert log_in(service, "dana", "guess-guess").status_code == 401
    assert log_in(service, "dana", "guess-guess").status_code == 429


def test_twenty_failures_from_one_address_lock_it_for_every_username(
    service: RunningService, create_agent: Callable[..., str], clock: FakeClock
) -> None:
    create_agent(service, "dana")
    for number in range(20):
        assert log_in(service, f"nobody-{number}", "guess-guess").status_code == 401
    locked = log_in(service, "dana", "password-123")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) == 900


def test_parallel_guesses_do_not_slip_past_the_limit(
    service: RunningService, create_agent: Callable[..., str], clock: FakeClock
) -> None:
    create_agent(service, "dana")
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: log_in(service, "dana", "guess-guess").status_code, range(12)))
    assert sorted(statuses) == [401] * 5 + [429] * 7


def test_malformed_logins_are_not_counted(
    service: RunningService, create_agent: Callable[..., str], clock: FakeClock
) -> None:
    create_agent(service, "dana")
    for _ in range(10):
        response = requests.post(f"{service.url}/api/agents/login", json={"username": "dana"}, timeout=10)
        assert response.status_code == 400
    assert log_in(service, "dana", "password-123").status_code == 200
