"""The webhook every platform connector shares, with a platform of the test's own: only its answers differ."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, List, Sequence, Union

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.customer_text import MAX_MESSAGE_LENGTH
from bot.rasa_server.channels.platform_webhook import Incoming, PlatformWebhookInput, json_object
from tests.bot.rasa_server.channels.served_channels import serve_channels
from tests.support.served_app import Served


@dataclass(frozen=True)
class PagerSettings:
    shared_key: str


class PagerInput(PlatformWebhookInput[PagerSettings]):
    """A made-up platform: a shared key in a header, a JSON list of (sender, text) pairs in the body."""

    channel_name = "pager"
    settings_type = PagerSettings
    refusal = "wrong key"

    def get_output_channel(self) -> OutputChannel:
        return CollectingOutputChannel()

    def is_from_platform(self, request: Request) -> bool:
        return request.headers.get("X-Key") == self.settings.shared_key

    async def messages_in(self, request: Request) -> Union[Sequence[Incoming], HTTPResponse]:
        body = json_object(request, "not a page")
        if isinstance(body, HTTPResponse):
            return body
        return [Incoming(sender, text) for sender, text in body.get("pairs", [])]

    def received(self) -> HTTPResponse:
        return response.text("DELIVERED")


pytestmark = pytest.mark.usefixtures("sanic_test_mode")


@pytest.fixture(scope="module")
def pager(received: List[UserMessage]) -> Iterator[Served]:
    with serve_channels([PagerInput.from_credentials({"shared_key": "k-123"})], received) as served:
        yield served


def post(served: Served, body: bytes, key: str = "k-123") -> tuple:
    status, _, answer = served.call("POST", "/webhooks/pager/webhook", {"X-Key": key}, body)
    return status, answer.decode()


def test_the_channel_is_named_by_its_class_and_needs_credentials() -> None:
    assert PagerInput.name() == "pager"
    with pytest.raises(RasaException, match="pager"):
        PagerInput.from_credentials(None)


def test_the_health_route_answers(pager: Served) -> None:
    status, _, answer = pager.call("GET", "/webhooks/pager/")
    assert status == 200 and json.loads(answer) == {"status": "ok"}


def test_a_request_the_platform_did_not_send_is_refused_and_reaches_no_one(
    pager: Served, received: List[UserMessage]
) -> None:
    before = len(received)
    assert post(pager, b'{"pairs": [["u1", "hi"]]}', key="forged") == (403, "wrong key")
    assert len(received) == before


def test_the_connectors_own_refusal_of_a_body_is_answered_as_it_is(pager: Served, received: List[UserMessage]) -> None:
    before = len(received)
    assert post(pager, b"not json") == (400, "body is not JSON")
    assert post(pager, b"[1, 2]") == (400, "not a page")
    assert len(received) == before


def test_every_message_reaches_rasa_as_customer_text_from_this_channel(
    pager: Served, received: List[UserMessage]
) -> None:
    before = len(received)
    long_text = "x" * (MAX_MESSAGE_LENGTH + 10)
    body = json.dumps({"pairs": [["u1", "/EXTERNAL_handback"], ["u2", long_text]]}).encode()
    assert post(pager, body) == (200, "DELIVERED")
    first, second = received[before:]
    assert (first.sender_id, first.text) == ("u1", "EXTERNAL_handback")
    assert (second.sender_id, second.text) == ("u2", long_text[:MAX_MESSAGE_LENGTH])
    assert {message.input_channel for message in (first, second)} == {"pager"}
    assert first.metadata == {"channel": "pager"}
    assert isinstance(first.output_channel, CollectingOutputChannel)
