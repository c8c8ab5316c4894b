"""Telegram, checking the webhook's secret token header and sending through a configurable Bot API URL."""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.telegram import TelegramOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.plain_text import CustomPayloadAsText
from bot.rasa_server.channels.platform_webhook import Incoming, PlatformWebhookInput, json_object
from bot.rasa_server.channels.signatures import is_valid_telegram_secret
from bot.shared.channel_settings import TelegramSettings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram opens every chat with /start; to the assistant that is a greeting, not an intent name.
START_COMMAND = "/start"
START_TEXT = "hello"


class ConfiguredTelegramOutput(CustomPayloadAsText, TelegramOutput):
    """Rasa's Telegram output (inline keyboards for buttons) against the configured Bot API server."""

    def __init__(self, settings: TelegramSettings) -> None:
        # Rasa's constructor takes only the token; the Bot underneath accepts the server.
        super(TelegramOutput, self).__init__(settings.bot_token, server=TelegramAPIServer.from_base(settings.api_url))


class TelegramInput(PlatformWebhookInput[TelegramSettings]):
    """Telegram webhook at `/webhooks/telegram/webhook`."""

    channel_name = "telegram"
    settings_type = TelegramSettings
    refusal = "invalid secret token"

    def __init__(self, settings: TelegramSettings) -> None:
        super().__init__(settings)
        self._output: Optional[ConfiguredTelegramOutput] = None

    def get_output_channel(self) -> ConfiguredTelegramOutput:
        # One Bot (one HTTP session) for the life of the server; created lazily inside the event loop.
        if self._output is None:
            self._output = ConfiguredTelegramOutput(self.settings)
        return self._output

    def is_from_platform(self, request: Request) -> bool:
        return is_valid_telegram_secret(self.settings.secret_token, request.headers.get(SECRET_HEADER))

    async def messages_in(self, request: Request) -> Union[Sequence[Incoming], HTTPResponse]:
        """The update's message; a pressed button is acknowledged first, as Telegram waits for that."""
        update = json_object(request, "not an update")
        if isinstance(update, HTTPResponse):
            return update
        message = message_of(update)
        if message is None:
            return response.text("ignored")
        chat_id, text, callback_id = message
        if callback_id:
            await _acknowledge_button(self.get_output_channel(), callback_id)
        return [Incoming(chat_id, text)]


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


async def _acknowledge_button(output: ConfiguredTelegramOutput, callback_id: str) -> None:
    """Stops the spinner on the pressed button; the reply itself follows as a message."""
    try:
        await output.answer_callback_query(callback_id)
    except TelegramAPIError:
        logger.warning("Telegram did not accept the button acknowledgement %s", callback_id)
