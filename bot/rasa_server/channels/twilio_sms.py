"""SMS and WhatsApp through Twilio, with the request signature check Rasa's `twilio` channel lacks."""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import urlsplit, urlunsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.channels.plain_text import with_choices_as_text
from bot.channels.settings import DEFAULT_TWILIO_API_URL, TwilioSettings
from bot.channels.signatures import is_valid_twilio_signature
from bot.channels.customer_text import guarded

logger = logging.getLogger(__name__)

PHONE_SENDER = re.compile(r"^(whatsapp:)?\+(\d{6,15})$")
CONVERSATION_ID = re.compile(r"^(sms|whatsapp)-(\d{6,15})$")


def conversation_id_for(sender: str) -> str:
    """`+15550001111` -> `sms-15550001111`, `whatsapp:+1555...` -> `whatsapp-1555...`.

    Rasa's HTTP API does not decode percent-escapes in conversation ids, so an id with `+` or `:`
    cannot be addressed by the bot service (agent replies, hand-back); these ids need no escaping.
    """
    match = PHONE_SENDER.match(sender)
    if match is None:
        return sender
    return f"{'whatsapp' if match.group(1) else 'sms'}-{match.group(2)}"


def address_for(conversation_id: str) -> str:
    """The Twilio address a conversation id stands for; the inverse of `conversation_id_for`."""
    match = CONVERSATION_ID.match(conversation_id)
    if match is None:
        return conversation_id
    prefix = "whatsapp:" if match.group(1) == "whatsapp" else ""
    return f"{prefix}+{match.group(2)}"


class RedirectedTwilioHttpClient(TwilioHttpClient):
    """Sends Twilio REST calls to another base URL (a regional edge, or a local stand-in in tests)."""

    def __init__(self, api_url: str) -> None:
        super().__init__(timeout=15)
        self.api_url = urlsplit(api_url)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        redirected = urlunsplit(
            (self.api_url.scheme, self.api_url.netloc, parts.path, parts.query, parts.fragment)
        )
        return super().request(method, redirected, *args, **kwargs)


class TwilioTextOutput(OutputChannel):
    """Replies as Twilio messages from the configured sender; choices become a list in the text."""

    def __init__(self, settings: TwilioSettings, channel_name: str) -> None:
        http_client = None
        if settings.api_url.rstrip("/") != DEFAULT_TWILIO_API_URL:
            http_client = RedirectedTwilioHttpClient(settings.api_url)
        self.client = Client(settings.account_sid, settings.auth_token, http_client=http_client)
        self.sender = settings.number
        self.channel_name = channel_name

    def name(self) -> Text:  # type: ignore[override]
        return self.channel_name

    async def _create(self, **message: Any) -> None:
        # The Twilio library is synchronous; a thread keeps the server answering meanwhile.
        try:
            await asyncio.to_thread(self.client.messages.create, from_=self.sender, **message)
        except TwilioException:
            logger.exception("Twilio refused a message to %s", message.get("to"))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._create(to=address_for(recipient_id), body=text.strip())

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, with_choices_as_text(text, buttons))

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, with_choices_as_text(text, quick_replies))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._create(to=address_for(recipient_id), media_url=[image])

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            await self.send_text_message(recipient_id, text)


class TwilioSmsInput(InputChannel):
    """Text messages to the shop's Twilio number; webhook `/webhooks/twilio/webhook`."""

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(TwilioSettings(**credentials))

    def __init__(self, settings: TwilioSettings) -> None:
        self.settings = settings

    def get_output_channel(self) -> OutputChannel:
        return TwilioTextOutput(self.settings, self.name())

    def accepts_sender(self, sender: str) -> bool:
        return not sender.startswith("whatsapp:")

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the public one when the service sits behind a proxy."""
        if not self.settings.public_base_url:
            return request.url
        query = f"?{request.query_string}" if request.query_string else ""
        return self.settings.public_base_url.rstrip("/") + request.path + query

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = Blueprint(f"{self.name()}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = request.form
            signature = request.headers.get("X-Twilio-Signature")
            if not is_valid_twilio_signature(
                self.settings.auth_token, self.signed_url(request), form, signature
            ):
                return response.text("invalid Twilio signature", status=403)
            sender = form.get("From")
            text = form.get("Body")
            if not sender or not self.accepts_sender(sender):
                return response.text("unexpected sender", status=400)
            if not text or not text.strip():
                # Media without a caption: nothing the assistant can read.
                return response.empty()
            # Some carriers turn @ into ¡ on the way.
            text = text.replace("¡", "@")
            await on_new_message(
                UserMessage(
                    text,
                    self.get_output_channel(),
                    conversation_id_for(sender),
                    input_channel=self.name(),
                    metadata={"channel": self.name()},
                )
            )
            return response.empty()

        return webhook


class WhatsAppInput(TwilioSmsInput):
    """WhatsApp messages through Twilio; senders are `whatsapp:+...`; webhook `/webhooks/whatsapp/webhook`."""

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    def accepts_sender(self, sender: str) -> bool:
        return sender.startswith("whatsapp:")
