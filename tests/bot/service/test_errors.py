"""Error answers are JSON a person can read: bodies over 64 KiB (413), throttling (429), not found."""
from __future__ import annotations

import json
from typing import Iterator

import pytest
import requests

from bot.service.app import REQUEST_MAX_SIZE
from tests.support.handoff_fixtures import RunningService, internal

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)


def _body_of(size: int) -> bytes:
    padding = "x" * (size - len(json.dumps({"username": "dana", "password": ""})))
    return json.dumps({"username": "dana", "password": padding}).encode()


def test_a_body_over_64_kib_gets_a_413_with_a_json_error(service: RunningService) -> None:
    assert REQUEST_MAX_SIZE == 64 * 1024
    for path, headers in [("/api/agents/login", {}), ("/internal/handoffs", internal())]:
        response = requests.post(
            service.url + path, data=_body_of(REQUEST_MAX_SIZE + 1),
            headers={"Content-Type": "application/json", **headers}, timeout=10,
        )
        assert response.status_code == 413, (path, response.text)
        assert response.json() == {"error": "the request body is too large; this service accepts at most 64 KiB"}


def test_a_chunked_body_over_the_limit_is_cut_off_too(service: RunningService) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(80):
            yield b"x" * 1024

    response = requests.post(f"{service.url}/api/agents/login", data=chunks(),
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 413
    assert "64 KiB" in response.json()["error"]


def test_a_body_under_the_limit_reaches_the_route(service: RunningService) -> None:
    response = requests.post(
        f"{service.url}/api/agents/login", data=_body_of(REQUEST_MAX_SIZE - 100),
        headers={"Content-Type": "application/json"}, timeout=10,
    )
    # the route's own check: a password of 65,000 characters is not one
    assert response.status_code == 400
    assert "'password' must be at most 200 characters long" in response.json()["error"]


def test_a_token_that_is_not_ascii_is_a_401_not_a_crash(service: RunningService) -> None:
    for token in [b"Bearer \xff\xfe", "Bearer t\u00f6ken".encode("utf-8")]:
        response = requests.get(f"{service.url}/api/agents/me", headers={"Authorization": token}, timeout=10)
        assert response.status_code == 401, response.text
        assert response.json()["error"]
