"""Facebook Messenger, checking `X-Hub-Signature-256` (Rasa's channel checks only the SHA-1 header)."""
from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Text, Tuple

from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.settings import MessengerSettings
from bot.channels.signatures import is_valid_messenger_signature
from bot.channels.customer_text import guarded

logger = logging.getLogger(__name__)

MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13


class MessengerOutput(MessengerBot):
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

    async def send_custom_json(self, recipient_id: Text, json_message: Any, **kwargs: Any) -> None:
        # Custom payloads are written for the web widget; Messenger gets their text, if any.
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            await self.send_text_message(recipient_id, text)


class MessengerInput(InputChannel):
    """Messenger webhook at `/webhooks/facebook/webhook`; registered under Rasa's channel name `facebook`."""

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(MessengerSettings(**credentials))

    def __init__(self, settings: MessengerSettings) -> None:
        self.settings = settings

    def get_output_channel(self) -> OutputChannel:
        client = MessengerClient(self.settings.page_access_token)
        client.graph_url = self.settings.api_url.rstrip("/")
        return MessengerOutput(client)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = Blueprint("facebook_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify_subscription(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.settings.verify_token.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            return response.text("verify token mismatch", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Hub-Signature-256")
            if not is_valid_messenger_signature(self.settings.app_secret, request.body, signature):
                return response.text("invalid X-Hub-Signature-256", status=403)
            try:
                payload = json.loads(request.body or b"")
            except ValueError:
                return response.text("body is not JSON", status=400)
            if not isinstance(payload, dict) or payload.get("object") != "page":
                return response.text("not a page event", status=400)
            for sender_id, text in incoming_messages(payload):
                await on_new_message(
                    UserMessage(
                        text,
                        self.get_output_channel(),
                        sender_id,
                        input_channel=self.name(),
                        metadata={"channel": self.name()},
                    )
                )
            return response.text("EVENT_RECEIVED")

        return webhook


def incoming_messages(payload: Dict[str, Any]) -> Iterator[Tuple[str, str]]:
    """(sender id, text) for every customer message in a page event; echoes and receipts are skipped."""
    for entry in _dicts(payload.get("entry")):
        for event in _dicts(entry.get("messaging")):
            sender = event.get("sender")
            sender_id = sender.get("id") if isinstance(sender, dict) else None
            if not isinstance(sender_id, str) or not sender_id:
                continue
            text = _text_of(event)
            if text:
                yield sender_id, text


def _text_of(event: Dict[str, Any]) -> Optional[str]:
    message = event.get("message")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None
        quick_reply = message.get("quick_reply")
        if isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str):
            return quick_reply["payload"]
        text = message.get("text")
        return text if isinstance(text, str) and text.strip() else None
    postback = event.get("postback")
    if isinstance(postback, dict) and isinstance(postback.get("payload"), str):
        return postback["payload"]
    return None


def _dicts(value: Any) -> List[Dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
