"""What every input channel of the shop shares: a fixed name, a health route, and customer text read one way."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.customer_text import customer_text


class CustomerChannel(InputChannel):
    """An input channel whose Rasa name (and so its `/webhooks/<name>/` prefix) is the class's `channel_name`."""

    channel_name: ClassVar[str]

    @classmethod
    def name(cls) -> Text:
        return cls.channel_name

    @classmethod
    def required(cls, credentials: Optional[Dict[Text, Any]]) -> Dict[Text, Any]:
        """The channel's credentials; a channel listed without any cannot start."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return credentials

    def customer_message(
        self,
        text: str,
        output: Optional[OutputChannel],
        sender_id: str,
        metadata: Optional[Dict[Text, Any]],
    ) -> UserMessage:
        """A customer's message as Rasa should read it (see `customer_text`), from this channel."""
        return UserMessage(customer_text(text), output, sender_id, input_channel=self.name(), metadata=metadata)


def add_health_route(blueprint: Blueprint) -> None:
    """`GET /webhooks/<name>/` answers `{"status": "ok"}`, as Rasa's own channels do."""

    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    blueprint.add_route(health, "/", methods=["GET"], name="health")
