"""Every input channel reads at most 2,000 characters of a message: the platforms' webhooks read up to the
limit, REST and web chat refuse a longer message; all of them take the limit from one place."""

from __future__ import annotations

import asyncio
from typing import Callable, Dict, Iterator, List

import pytest
from rasa.core.channels.channel import InputChannel, UserMessage

from bot.rasa_server.channels import rest_token, webchat_socketio
from bot.rasa_server.channels.customer_text import MAX_MESSAGE_LENGTH, customer_text
from bot.rasa_server.channels.messenger import MessengerInput
from bot.rasa_server.channels.slack import SlackInput
from bot.rasa_server.channels.telegram import TelegramInput
from bot.rasa_server.channels.twilio_sms import TwilioSmsInput, WhatsAppInput
from bot.shared.channel_settings import MessengerSettings, SlackSettings, TelegramSettings, TwilioSettings
from tests.bot.rasa_server.channels.platform_requests import (
    SMS_NUMBER,
    TWILIO_ACCOUNT_SID,
    WHATSAPP_NUMBER,
    PlatformSecrets,
    WebhookRequest,
    messenger_message,
    slack_message,
    telegram_message,
    twilio_message,
)
from tests.bot.rasa_server.channels.served_channels import serve_channels
from tests.support.served_app import Served

SECRETS = PlatformSecrets()
# Long enough to tell a cap from no cap, short enough for every platform's own limit on a request.
LONG_TEXT = "where is my order " + "x" * 5000
UNREACHABLE_API = "http://127.0.0.1:9"


pytestmark = pytest.mark.usefixtures("sanic_test_mode")


def platform_channels() -> List[InputChannel]:
    return [
        MessengerInput(
            MessengerSettings(
                SECRETS.messenger_verify_token, SECRETS.messenger_app_secret, "page-token", UNREACHABLE_API
            )
        ),
        TelegramInput(TelegramSettings("123456:token", SECRETS.telegram_secret_token, UNREACHABLE_API)),
        TwilioSmsInput(TwilioSettings(TWILIO_ACCOUNT_SID, SECRETS.twilio_auth_token, SMS_NUMBER, UNREACHABLE_API)),
        WhatsAppInput(TwilioSettings(TWILIO_ACCOUNT_SID, SECRETS.twilio_auth_token, WHATSAPP_NUMBER, UNREACHABLE_API)),
        SlackInput.from_settings(SlackSettings("xoxb-token", SECRETS.slack_signing_secret, UNREACHABLE_API)),
    ]


@pytest.fixture(scope="module")
def platforms(received: List[UserMessage]) -> Iterator[Served]:
    with serve_channels(platform_channels(), received) as served:
        yield served


REQUESTS: Dict[str, Callable[[str], WebhookRequest]] = {
    "facebook": lambda url: messenger_message(SECRETS, "psid-1", LONG_TEXT),
    "telegram": lambda url: telegram_message(SECRETS, 4242, LONG_TEXT),
    "twilio": lambda url: twilio_message(SECRETS, url, "twilio", "+15557654321", LONG_TEXT),
    "whatsapp": lambda url: twilio_message(SECRETS, url, "whatsapp", "whatsapp:+15557654321", LONG_TEXT),
    "slack": lambda url: slack_message(SECRETS, "U0CUSTOMER", "D0CUSTOMER", LONG_TEXT),
}


def _run_what_the_request_scheduled(served: Served) -> None:
    # Rasa's Slack connector answers first and hands the message on in a task; a step of the server's loop
    # queued after that task runs after it.
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), served.loop).result(timeout=30)


@pytest.mark.parametrize("channel", sorted(REQUESTS))
def test_a_platform_message_is_read_up_to_the_limit(
    platforms: Served, received: List[UserMessage], channel: str
) -> None:
    request = REQUESTS[channel](f"http://127.0.0.1:{platforms.port}")
    before = len(received)
    status, _, _ = platforms.call("POST", request.path, request.headers, request.body)
    assert status in (200, 204)  # Twilio is answered with an empty 204
    _run_what_the_request_scheduled(platforms)
    assert [message.input_channel for message in received[before:]] == [channel]
    assert received[-1].text == LONG_TEXT[:MAX_MESSAGE_LENGTH]


def test_customer_text_is_where_the_limit_is_applied() -> None:
    assert customer_text("a" * (MAX_MESSAGE_LENGTH + 1)) == "a" * MAX_MESSAGE_LENGTH == "a" * 2000
    assert customer_text("a" * MAX_MESSAGE_LENGTH) == "a" * MAX_MESSAGE_LENGTH


def test_rest_and_web_chat_refuse_what_is_over_the_same_limit() -> None:
    assert rest_token.MAX_MESSAGE_LENGTH is webchat_socketio.MAX_MESSAGE_LENGTH is MAX_MESSAGE_LENGTH
    assert rest_token.RestMessage.__fields__["message"].field_info.max_length == MAX_MESSAGE_LENGTH
