"""Malformed HTTP framing against the running stack's three ports: a short 400 (or 408 for a body that never
arrives) and a closed connection, and every server goes on answering everyone else."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Dict, Tuple
from urllib.parse import urlsplit

import pytest
import requests

from bot.shared.http.guard import REQUEST_TIMEOUT_SECONDS
from tests.security.attacker import rest_say
from tests.support.raw_http import HOSTILE_HEADS, RawAnswer, exchange, hostile_head
from tests.support.stack import Stack

# A path each server answers without credentials, and one that reads a body.
PUBLIC_PATHS = {"Rasa server": "/", "action server": "/health", "bot service": "/health"}
POST_PATHS = {"Rasa server": "/webhooks/rest/webhook", "action server": "/webhook", "bot service": "/api/agents/login"}


def servers(stack: Stack) -> Dict[str, Tuple[int, str]]:
    """name -> (port, public path)."""
    urls = {"Rasa server": stack.rasa_url, "action server": stack.action_server_url, "bot service": stack.service_url}
    return {name: (urlsplit(url).port or 80, PUBLIC_PATHS[name]) for name, url in urls.items()}


def still_answers(stack: Stack) -> Dict[str, int]:
    return {
        name: requests.get(f"http://127.0.0.1:{port}{path}", timeout=10).status_code
        for name, (port, path) in servers(stack).items()
    }


@pytest.mark.parametrize("framing", sorted(HOSTILE_HEADS))
def test_malformed_framing_gets_400_on_every_port(running_stack: Stack, framing: str) -> None:
    for name, (port, path) in servers(running_stack).items():
        answer = exchange(port, [hostile_head(framing, path)], timeout=15)
        assert (name, answer.status, answer.closed) == (name, 400, True), answer.data[:200]
        assert len(answer.body) < 200
    assert still_answers(running_stack) == dict.fromkeys(PUBLIC_PATHS, 200)


def test_a_body_shorter_than_its_content_length_is_given_up_on_every_port(running_stack: Stack) -> None:
    def short_body(name: str) -> RawAnswer:
        port, _ = servers(running_stack)[name]
        path = POST_PATHS[name]
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        return exchange(port, [head.encode() + b'{"a"'], timeout=REQUEST_TIMEOUT_SECONDS + 30)

    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = dict(zip(POST_PATHS, pool.map(short_body, POST_PATHS), strict=True))
    # The action server's token check answers every request without its token, error answers included.
    expected = {"Rasa server": 408, "action server": 401, "bot service": 408}
    for name, answer in answers.items():
        assert (name, answer.status, answer.closed) == (name, expected[name], True), answer.data[:200]
        assert answer.seconds < REQUEST_TIMEOUT_SECONDS + 5
    assert still_answers(running_stack) == dict.fromkeys(PUBLIC_PATHS, 200)


def test_a_lone_surrogate_sender_gets_400_and_rasa_keeps_answering(running_stack: Stack) -> None:
    response = requests.post(
        f"{running_stack.rasa_url}/webhooks/rest/webhook",
        data=b'{"sender": "\\ud800", "message": "hi"}',
        headers={**running_stack.rest_headers, "Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400
    assert "sender" in response.json()["error"]
    reply = rest_say(running_stack, "after-surrogate", "hello")
    assert reply.status_code == 200 and reply.json()


def test_stream_true_on_the_rest_webhook_is_answered_like_any_message(running_stack: Stack) -> None:
    response = requests.post(
        f"{running_stack.rasa_url}/webhooks/rest/webhook?stream=true",
        json={"sender": "streamer", "message": "hello"},
        headers=running_stack.rest_headers,
        timeout=60,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert [message["recipient_id"] for message in response.json()] and all(
        message["recipient_id"] == "rest-streamer" for message in response.json()
    )
