"""The REST channel's webhook on a real Sanic server: hostile bodies get 400 before any conversation is touched."""

from __future__ import annotations

import json
from typing import Iterator, List

import pytest
from rasa.core.channels.channel import UserMessage

from bot.rasa_server.channels.rest_token import TokenRestInput
from tests.bot.rasa_server.channels.served_channels import serve_channels
from tests.support.served_app import Served

TOKEN = "rest-token-0123456789abcdef0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


pytestmark = pytest.mark.usefixtures("sanic_test_mode")


@pytest.fixture(scope="module")
def webhook(received: List[UserMessage]) -> Iterator[Served]:
    with serve_channels([TokenRestInput(TOKEN)], received, echo=True) as served:
        yield served


def post(served: Served, body: bytes, path: str = "/webhooks/rest/webhook") -> tuple:
    status, _, answer = served.call("POST", path, HEADERS, body)
    return status, json.loads(answer)


@pytest.mark.parametrize("sender", ["\\ud800", "\\udfff", "a\\ud800b", "\\u0000"])
def test_a_sender_no_store_can_hold_gets_400_and_reaches_no_conversation(
    webhook: Served, received: List[UserMessage], sender: str
) -> None:
    before = len(received)
    status, answer = post(webhook, (f'{{"sender": "{sender}", "message": "hi"}}').encode())
    assert status == 400
    assert "sender" in answer["error"]
    assert len(received) == before


def test_stream_true_is_ignored_and_answered_at_once(webhook: Served, received: List[UserMessage]) -> None:
    status, answer = post(
        webhook, b'{"sender": "customer-42", "message": "hello"}', "/webhooks/rest/webhook?stream=true"
    )
    assert status == 200
    assert answer == [{"recipient_id": "rest-customer-42", "text": "you said hello"}]
    assert received[-1].sender_id == "rest-customer-42"
