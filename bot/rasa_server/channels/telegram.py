"""Telegram, checking the webhook's secret token header and sending through a configurable Bot API URL."""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.settings import TelegramSettings
from bot.channels.signatures import is_valid_telegram_secret
from bot.channels.customer_text import guarded

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram opens every chat with /start; to the assistant that is a greeting, not an intent name.
START_COMMAND = "/start"
START_TEXT = "hello"


class ConfiguredTelegramOutput(TelegramOutput):
    """Rasa's Telegram output (inline keyboards for buttons) against the configured Bot API server."""

    def __init__(self, settings: TelegramSettings) -> None:
        # Rasa's constructor takes only the token; the Bot underneath accepts the server.
        super(TelegramOutput, self).__init__(
            settings.bot_token, server=TelegramAPIServer.from_base(settings.api_url)
        )

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            await self.send_text_message(recipient_id, text)


class TelegramInput(InputChannel):
    """Telegram webhook at `/webhooks/telegram/webhook`."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(TelegramSettings(**credentials))

    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings
        self._output: Optional[ConfiguredTelegramOutput] = None

    def get_output_channel(self) -> OutputChannel:
        # One Bot (one HTTP session) for the life of the server; created lazily inside the event loop.
        if self._output is None:
            self._output = ConfiguredTelegramOutput(self.settings)
        return self._output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = Blueprint("telegram_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not is_valid_telegram_secret(self.settings.secret_token, request.headers.get(SECRET_HEADER)):
                return response.text("invalid secret token", status=403)
            try:
                update = json.loads(request.body or b"")
            except ValueError:
                return response.text("body is not JSON", status=400)
            if not isinstance(update, dict):
                return response.text("not an update", status=400)
            message = message_of(update)
            if message is None:
                return response.text("ignored")
            chat_id, text, callback_id = message
            output = self.get_output_channel()
            if callback_id:
                await _acknowledge_button(output, callback_id)
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    chat_id,
                    input_channel=self.name(),
                    metadata={"channel": self.name()},
                )
            )
            return response.text("ok")

        return webhook


def message_of(update: Dict[str, Any]) -> Optional[Tuple[str, str, Optional[str]]]:
    """(chat id, text, callback query id) of a customer's message or button press, else None."""
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        callback_message = callback.get("message")
        chat = callback_message.get("chat") if isinstance(callback_message, dict) else None
        data = callback.get("data")
        if isinstance(data, str) and data and isinstance(chat, dict) and "id" in chat:
            return str(chat["id"]), data, str(callback.get("id") or "") or None
        return None
    message = update.get("message") or update.get("edited_message")
    if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
        return None
    text = message.get("text")
    chat_id = message["chat"].get("id")
    if not isinstance(text, str) or not text.strip() or chat_id is None:
        return None
    if text.strip().split("@")[0] == START_COMMAND:
        text = START_TEXT
    return str(chat_id), text, None


async def _acknowledge_button(output: OutputChannel, callback_id: str) -> None:
    """Stops the spinner on the pressed button; the reply itself follows as a message."""
    try:
        await output.answer_callback_query(callback_id)  # type: ignore[attr-defined]
    except TelegramAPIError:
        logger.warning("Telegram did not accept the button acknowledgement %s", callback_id)
