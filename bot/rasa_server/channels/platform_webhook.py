"""A messaging platform's webhook: check that the platform sent it, read the customers' messages, hand each to Rasa.

A connector names its settings and answers three questions (is this request the platform's, which
messages does it carry, what does the platform expect back); the route, the health check and the
hand-over to Rasa are the same for every platform.
"""

from __future__ import annotations

import json
from typing import (
    Any,
    Awaitable,
    Callable,
    ClassVar,
    Dict,
    Generic,
    NamedTuple,
    Optional,
    Sequence,
    Text,
    TypeVar,
    Union,
)

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.customer_channel import CustomerChannel, add_health_route

SettingsT = TypeVar("SettingsT")


class Incoming(NamedTuple):
    """One customer message read out of a platform's request."""

    sender_id: str
    text: str


class PlatformWebhookInput(CustomerChannel, Generic[SettingsT]):
    """`POST /webhooks/<name>/webhook`: 403 unless the platform signed it, else each message it carries goes to Rasa."""

    # The settings dataclass the credentials file's entry is read into.
    settings_type: ClassVar[Callable[..., Any]]
    # The 403 body, naming the check that failed, so a misconfigured platform can be told from an attack.
    refusal: ClassVar[str]

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(cls.settings_type(**cls.required(credentials)))

    def __init__(self, settings: SettingsT) -> None:
        self.settings = settings

    def is_from_platform(self, request: Request) -> bool:
        raise NotImplementedError

    async def messages_in(self, request: Request) -> Union[Sequence[Incoming], HTTPResponse]:
        """The messages in an authentic request, or the answer for one that carries none Rasa can read."""
        raise NotImplementedError

    def received(self) -> HTTPResponse:
        """What the platform is answered once its messages are handled."""
        return response.text("ok")

    def add_routes(self, webhook: Blueprint) -> None:
        """Routes besides the webhook itself; none unless the platform needs one."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        add_health_route(webhook)
        self.add_routes(webhook)

        async def receive(request: Request) -> HTTPResponse:
            if not self.is_from_platform(request):
                return response.text(self.refusal, status=403)
            incoming = await self.messages_in(request)
            if isinstance(incoming, HTTPResponse):
                return incoming
            for sender_id, text in incoming:
                metadata = {"channel": self.name()}
                await on_new_message(self.customer_message(text, self.get_output_channel(), sender_id, metadata))
            return self.received()

        webhook.add_route(receive, "/webhook", methods=["POST"], name="receive")
        return webhook


def json_object(request: Request, not_an_object: str) -> Union[Dict[str, Any], HTTPResponse]:
    """The request body as a JSON object, or a 400 saying it is not JSON or (`not_an_object`) not an object."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
        return response.text("body is not JSON", status=400)
    if not isinstance(body, dict):
        return response.text(not_an_object, status=400)
    return body
