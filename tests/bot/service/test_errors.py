"""Error answers are JSON a person can read: bodies over 64 KiB (413), throttling (429), not found, bad text."""

from __future__ import annotations

import json
from typing import Callable, Iterator

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
            service.url + path,
            data=_body_of(REQUEST_MAX_SIZE + 1),
            headers={"Content-Type": "application/json", **headers},
            timeout=10,
        )
        assert response.status_code == 413, (path, response.text)
        assert response.json() == {"error": "the request body is too large; this service accepts at most 64 KiB"}


def test_a_chunked_body_over_the_limit_is_cut_off_too(service: RunningService) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(80):
            yield b"x" * 1024

    response = requests.post(
        f"{service.url}/api/agents/login", data=chunks(), headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 413
    assert "64 KiB" in response.json()["error"]


def test_a_body_under_the_limit_reaches_the_route(service: RunningService) -> None:
    response = requests.post(
        f"{service.url}/api/agents/login",
        data=_body_of(REQUEST_MAX_SIZE - 100),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    # the route's own check: a password of 65,000 characters is not one
    assert response.status_code == 400
    assert "'password' must be at most 200 characters long" in response.json()["error"]


def test_a_token_that_is_not_ascii_is_a_401_not_a_crash(service: RunningService) -> None:
    for token in [b"Bearer \xff\xfe", "Bearer t\u00f6ken".encode("utf-8")]:
        response = requests.get(f"{service.url}/api/agents/me", headers={"Authorization": token}, timeout=10)
        assert response.status_code == 401, response.text
        assert response.json()["error"]


HUGE_IDS = [2**63, 2**63 + 7, 2**64, 10**30, 2**31]


@pytest.mark.parametrize("handoff_id", HUGE_IDS)
def test_an_id_no_handoff_can_have_is_a_404_on_every_route(
    service: RunningService, create_agent: Callable[..., str], handoff_id: int
) -> None:
    token = create_agent(service, "dana")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{service.url}/api/handoffs/{handoff_id}"
    answers = [
        requests.get(base, headers=headers, timeout=10),
        requests.post(f"{base}/claim", headers=headers, timeout=10),
        requests.post(f"{base}/messages", json={"text": "hi"}, headers=headers, timeout=10),
        requests.post(f"{base}/notes", json={"text": "hi"}, headers=headers, timeout=10),
        requests.post(f"{base}/close", json={"outcome": "resolved"}, headers=headers, timeout=10),
    ]
    assert [answer.status_code for answer in answers] == [404] * 5, [answer.text for answer in answers]
    assert all(f"there is no handoff {handoff_id}" in answer.json()["error"] for answer in answers)


def _raw_json(service: RunningService, path: str, body: str, token: str = "", **headers: str) -> requests.Response:
    # the body spells a lone surrogate as JSON allows (`\ud800`); requests would refuse to encode the character
    headers = {"Content-Type": "application/json", **headers}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(service.url + path, data=body.encode("ascii"), headers=headers, timeout=10)


def test_a_lone_surrogate_in_a_login_or_a_note_is_a_400(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    token = create_agent(service, "dana")
    handoff_id = requests.post(
        f"{service.url}/internal/handoffs", json={"conversation_id": "conv-s"}, headers=internal(), timeout=10
    ).json()["handoff_id"]
    requests.post(
        f"{service.url}/api/handoffs/{handoff_id}/claim", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    answers = [
        _raw_json(service, "/api/agents/login", '{"username": "\\ud800", "password": "password-123"}'),
        _raw_json(service, "/api/agents/login", '{"username": "dana", "password": "pass\\udfffword"}'),
        _raw_json(service, f"/api/handoffs/{handoff_id}/notes", '{"text": "a \\ud83d note"}', token),
        _raw_json(service, "/internal/handoffs", '{"conversation_id": "\\ud800"}', **internal()),
    ]
    assert [answer.status_code for answer in answers] == [400] * 4, [answer.text for answer in answers]
    assert "is not valid Unicode text" in answers[0].json()["error"]
    # a surrogate pair is an ordinary character and is kept
    pair = _raw_json(service, f"/api/handoffs/{handoff_id}/notes", '{"text": "thanks \\ud83d\\ude00"}', token)
    assert pair.status_code == 201 and pair.json()["note"]["text"] == "thanks \U0001f600"


def test_the_openapi_document_says_what_queued_replies_and_closes_answer(service: RunningService) -> None:
    spec = requests.get(f"{service.url}/api/openapi.json", timeout=10).json()
    messages = spec["paths"]["/api/handoffs/{id}/messages"]["post"]["responses"]
    close = spec["paths"]["/api/handoffs/{id}/close"]["post"]["responses"]
    assert {"201", "202", "502"} <= set(messages) and "200" not in messages
    assert {"200", "202", "409"} <= set(close) and "502" not in close
    [handoff_id] = spec["paths"]["/api/handoffs/{id}/claim"]["post"]["parameters"]
    assert handoff_id["schema"]["maximum"] == 2**31 - 1
