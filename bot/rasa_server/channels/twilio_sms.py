"""SMS and WhatsApp through Twilio, with the request signature check Rasa's `twilio` channel lacks."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Dict, List, Sequence, Text, Union
from urllib.parse import urlsplit, urlunsplit

from rasa.core.channels.channel import OutputChannel
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.rasa_server.channels.plain_text import CustomPayloadAsText, with_choices_as_text
from bot.rasa_server.channels.platform_webhook import Incoming, PlatformWebhookInput
from bot.rasa_server.channels.signatures import is_valid_twilio_signature
from bot.shared.channel_settings import DEFAULT_TWILIO_API_URL, TwilioSettings

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


# The twilio library ships no type information, so its client is `Any` to the type checker.
class RedirectedTwilioHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Sends Twilio REST calls to another base URL (a regional edge, or a local stand-in in tests)."""

    def __init__(self, api_url: str) -> None:
        super().__init__(timeout=15)
        self.api_url = urlsplit(api_url)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        redirected = urlunsplit((self.api_url.scheme, self.api_url.netloc, parts.path, parts.query, parts.fragment))
        return super().request(method, redirected, *args, **kwargs)


class TwilioTextOutput(CustomPayloadAsText):
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


class TwilioSmsInput(PlatformWebhookInput[TwilioSettings]):
    """Text messages to the shop's Twilio number; webhook `/webhooks/twilio/webhook`."""

    channel_name = "twilio"
    settings_type = TwilioSettings
    refusal = "invalid Twilio signature"

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

    def is_from_platform(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        return is_valid_twilio_signature(self.settings.auth_token, self.signed_url(request), request.form, signature)

    async def messages_in(self, request: Request) -> Union[Sequence[Incoming], HTTPResponse]:
        sender = request.form.get("From")
        text = request.form.get("Body")
        if not sender or not self.accepts_sender(sender):
            return response.text("unexpected sender", status=400)
        if not text or not text.strip():
            # Media without a caption: nothing the assistant can read.
            return []
        # Some carriers turn @ into ¡ on the way.
        return [Incoming(conversation_id_for(sender), text.replace("¡", "@"))]

    def received(self) -> HTTPResponse:
        return response.empty()


class WhatsAppInput(TwilioSmsInput):
    """WhatsApp messages through Twilio; senders are `whatsapp:+...`; webhook `/webhooks/whatsapp/webhook`."""

    channel_name = "whatsapp"

    def accepts_sender(self, sender: str) -> bool:
        return sender.startswith("whatsapp:")
