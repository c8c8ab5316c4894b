"""Oversized bodies get 413 and floods get 429 (or a refused message), on every public surface."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from tests.bot.service.webchat.service_process import start_service_process, stop_service_process
from tests.security.attacker import rest_say
from tests.support.stack import Stack
from tests.support.webchat_client import open_tab, run_coroutine


def test_the_rasa_server_refuses_an_oversized_body(running_stack: Stack) -> None:
    body = b'{"sender": "big", "message": "' + b"x" * (400 * 1024) + b'"}'
    response = requests.post(
        f"{running_stack.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={**running_stack.rest_headers, "Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 413


def test_the_action_server_refuses_an_oversized_body(running_stack: Stack) -> None:
    url = f"{running_stack.action_server_url}/webhook"
    body = b"x" * (2 * 1024 * 1024)
    assert requests.post(url, data=body, timeout=60).status_code == 413
    token = {"Authorization": f"Bearer {running_stack.settings.action_server_token}"}
    assert requests.post(url, data=body, headers=token, timeout=60).status_code == 413


def test_the_bot_service_refuses_an_oversized_body(running_stack: Stack) -> None:
    response = requests.post(
        f"{running_stack.service_url}/api/agents/login",
        data=b"x" * (200 * 1024),
        timeout=60,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_the_rest_channel_answers_a_malformed_body_with_a_clear_400(running_stack: Stack) -> None:
    for body in (b"null", b"[]", b"1", b"", b"{not json", b'{"sender": "s"}', b'{"sender": 5, "message": "hi"}'):
        response = requests.post(
            f"{running_stack.rasa_url}/webhooks/rest/webhook",
            data=body,
            headers={**running_stack.rest_headers, "Content-Type": "application/json"},
            timeout=30,
        )
        assert response.status_code == 400, body
        assert "error" in response.json()


def test_a_chat_session_that_floods_gets_its_messages_refused(running_stack: Stack) -> None:
    async def scenario() -> List[str]:
        tab = await open_tab(running_stack.rasa_url)
        try:
            return [(await tab.send({"message": "hi", "message_id": f"flood-{n}"}))["status"] for n in range(32)]
        finally:
            await tab.close()

    statuses = run_coroutine(scenario())
    assert statuses[:30] == ["received"] * 30
    assert statuses[30:] == ["rejected", "rejected"]
    # Another customer is not affected.
    assert rest_say(running_stack, uuid.uuid4().hex, "hello").status_code == 200


@pytest.fixture()
def lone_service(running_stack: Stack, tmp_path: Path) -> Iterator[str]:
    """A bot service of its own, so that its per-address limits do not throttle the other tests."""
    process, base_url = start_service_process(
        tmp_path, {**running_stack.secrets_environment(), "RASA_URL": running_stack.rasa_url}
    )
    yield base_url
    stop_service_process(process)


def test_history_requests_are_throttled_per_address(lone_service: str) -> None:
    url = f"{lone_service}/webchat/history/{uuid.uuid4().hex}"
    statuses = [requests.get(url, timeout=30).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_agent_logins_are_throttled_per_username(lone_service: str) -> None:
    def attempt() -> requests.Response:
        return requests.post(
            f"{lone_service}/api/agents/login", json={"username": "dana", "password": "guess-guess"}, timeout=30
        )

    statuses = [attempt().status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    refused = attempt()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
