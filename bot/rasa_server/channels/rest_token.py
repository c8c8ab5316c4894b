"""Rasa's REST channel behind a bearer token: for the shop's own backend and for scripts, never anonymous.

It is switched on only when REST_CHANNEL_TOKEN is set (bot/rasa_server/channels/credentials.py). Every request needs
`Authorization: Bearer <token>`. The caller's `sender` becomes the conversation `rest-<sender>`, so no
REST caller can speak in a web chat, WhatsApp or any other channel's conversation. Bodies are validated:
anything but a JSON object with a `sender` and a `message` gets a 400 that says what is wrong.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from pydantic import BaseModel, Field, StrictStr, ValidationError, validator
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.customer_channel import CustomerChannel, add_health_route
from bot.rasa_server.channels.customer_text import MAX_MESSAGE_LENGTH
from bot.shared.security.bearer import bearer_token, token_matches

logger = logging.getLogger(__name__)

CONVERSATION_PREFIX = "rest-"
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_.:@+-]{1,128}")


class RestMessage(BaseModel):
    """One message posted to the REST channel."""

    sender: StrictStr = Field(..., description="the caller's id for this customer; the conversation is rest-<sender>")
    message: StrictStr = Field(..., min_length=1, max_length=MAX_MESSAGE_LENGTH)
    metadata: Optional[Dict[str, Any]] = None

    @validator("sender")
    def sender_is_an_id(cls, value: str) -> str:
        if not SENDER_PATTERN.fullmatch(value):
            raise ValueError("1-128 letters, digits or _ . : @ + -")
        return value

    @validator("message")
    def message_has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


def conversation_id(sender: str) -> str:
    return f"{CONVERSATION_PREFIX}{sender}"


def _problems(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors())


class TokenRestInput(CustomerChannel):
    """Registered under Rasa's channel name `rest`, at /webhooks/rest/webhook."""

    channel_name = "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        token = (credentials or {}).get("token")
        if not token:
            raise ValueError("the REST channel needs a token (REST_CHANNEL_TOKEN)")
        return cls(str(token))

    def __init__(self, token: str) -> None:
        self.token = token

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_token_webhook", __name__)
        add_health_route(webhook)

        async def receive(request: Request) -> HTTPResponse:
            if not token_matches(bearer_token(request), self.token):
                return response.json({"error": "send 'Authorization: Bearer <REST_CHANNEL_TOKEN>'"}, status=401)
            try:
                body = request.json
            except Exception:  # Sanic's InvalidUsage for a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "the body must be a JSON object"}, status=400)
            try:
                message = RestMessage.parse_obj(body)
            except ValidationError as error:
                return response.json({"error": _problems(error)}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    self.customer_message(message.message, collector, conversation_id(message.sender), message.metadata)
                )
            except Exception:  # the caller gets a clear answer; the details go to the (masked) log
                logger.exception("The REST channel could not handle a message")
                return response.json({"error": "the assistant could not answer right now"}, status=503)
            return response.json(collector.messages)

        webhook.add_route(receive, "/webhook", methods=["POST"], name="receive")
        return webhook
