"""Facebook Messenger, checking `X-Hub-Signature-256` (Rasa's channel checks only the SHA-1 header)."""

from __future__ import annotations

import hmac
from typing import Any, Dict, Iterator, List, Optional, Sequence, Text, Union

from fbmessenger import MessengerClient
from rasa.core.channels.channel import OutputChannel
from rasa.core.channels.facebook import MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.plain_text import CustomPayloadAsText
from bot.rasa_server.channels.platform_webhook import Incoming, PlatformWebhookInput, json_object
from bot.rasa_server.channels.signatures import is_valid_messenger_signature
from bot.shared.channel_settings import MessengerSettings

MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13


class MessengerOutput(CustomPayloadAsText, MessengerBot):
    """Up to three buttons as a button template, more as quick replies, never silently dropped."""

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        # Rasa passes the rest of the bot message (`quick_replies=None`, ...) as keyword arguments;
        # they are not forwarded, or they would collide with the positional ones.
        if len(buttons) <= MAX_TEMPLATE_BUTTONS:
            await super().send_text_with_buttons(recipient_id, text, buttons)
        else:
            await self.send_quick_replies(recipient_id, text, buttons[:MAX_QUICK_REPLIES])


class MessengerInput(PlatformWebhookInput[MessengerSettings]):
    """Messenger webhook at `/webhooks/facebook/webhook`; registered under Rasa's channel name `facebook`."""

    channel_name = "facebook"
    settings_type = MessengerSettings
    refusal = "invalid X-Hub-Signature-256"

    def get_output_channel(self) -> OutputChannel:
        client = MessengerClient(self.settings.page_access_token)
        client.graph_url = self.settings.api_url.rstrip("/")
        return MessengerOutput(client)

    def add_routes(self, webhook: Blueprint) -> None:
        # Meta's one-time check, when the webhook is set up, that it is talking to this page's server.
        async def verify_subscription(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.settings.verify_token.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            return response.text("verify token mismatch", status=403)

        webhook.add_route(verify_subscription, "/webhook", methods=["GET"], name="verify_subscription")

    def is_from_platform(self, request: Request) -> bool:
        signature = request.headers.get("X-Hub-Signature-256")
        return is_valid_messenger_signature(self.settings.app_secret, request.body, signature)

    async def messages_in(self, request: Request) -> Union[Sequence[Incoming], HTTPResponse]:
        payload = json_object(request, "not a page event")
        if isinstance(payload, HTTPResponse):
            return payload
        if payload.get("object") != "page":
            return response.text("not a page event", status=400)
        return list(incoming_messages(payload))

    def received(self) -> HTTPResponse:
        return response.text("EVENT_RECEIVED")


def incoming_messages(payload: Dict[str, Any]) -> Iterator[Incoming]:
    """(sender id, text) for every customer message in a page event; echoes and receipts are skipped."""
    for entry in _dicts(payload.get("entry")):
        for event in _dicts(entry.get("messaging")):
            sender = event.get("sender")
            sender_id = sender.get("id") if isinstance(sender, dict) else None
            if not isinstance(sender_id, str) or not sender_id:
                continue
            text = _text_of(event)
            if text:
                yield Incoming(sender_id, text)


def _text_of(event: Dict[str, Any]) -> Optional[str]:
    message = event.get("message")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None
        quick_reply = _payload_of(message.get("quick_reply"))
        if quick_reply is not None:
            return quick_reply
        text = message.get("text")
        return text if isinstance(text, str) and text.strip() else None
    return _payload_of(event.get("postback"))


def _payload_of(choice: Any) -> Optional[str]:
    """The payload of a pressed quick reply or button (a postback)."""
    payload = choice.get("payload") if isinstance(choice, dict) else None
    return payload if isinstance(payload, str) else None


def _dicts(value: Any) -> List[Dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
