"""Each connector sends through the configured API and can rebuild its output without a request."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

from bot.rasa_server.channels.messenger import MessengerInput, MessengerOutput
from bot.rasa_server.channels.slack import SlackInput
from bot.rasa_server.channels.telegram import TelegramInput
from bot.rasa_server.channels.twilio_sms import (
    RedirectedTwilioHttpClient,
    TwilioSmsInput,
    TwilioTextOutput,
    WhatsAppInput,
    address_for,
    conversation_id_for,
)
from bot.shared.channel_settings import MessengerSettings, SlackSettings, TelegramSettings, TwilioSettings


def _run(coroutine: Any) -> Any:
    """Runs a coroutine on a loop of its own: the browser tests keep an event loop running in this thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_messenger_output_uses_the_configured_graph_url() -> None:
    channel = MessengerInput(MessengerSettings("verify", "secret", "page-token", "http://127.0.0.1:9/graph/"))
    output = channel.get_output_channel()
    assert isinstance(output, MessengerOutput)
    assert output.messenger_client.graph_url == "http://127.0.0.1:9/graph"


def test_slack_output_uses_the_configured_api_url() -> None:
    channel = SlackInput.from_settings(SlackSettings("xoxb-token", "signing", "http://127.0.0.1:9/slack"))
    assert channel.get_output_channel().client.base_url == "http://127.0.0.1:9/slack/"


def test_telegram_output_is_built_once_against_the_configured_server() -> None:
    async def build() -> tuple:
        channel = TelegramInput(TelegramSettings("123456:token", "secret", "http://127.0.0.1:9/telegram"))
        first, second = channel.get_output_channel(), channel.get_output_channel()
        url = first.server.api_url(first._token, "sendMessage")
        await first.close()
        return first is second, url

    same, url = _run(build())
    assert same
    assert url == "http://127.0.0.1:9/telegram/bot123456:token/sendMessage"


def test_twilio_output_is_redirected_only_when_another_api_url_is_set() -> None:
    redirected = TwilioTextOutput(
        TwilioSettings("AC" + "0" * 32, "token", "+15550001111", "http://127.0.0.1:9"), "twilio"
    )
    assert isinstance(redirected.client.http_client, RedirectedTwilioHttpClient)
    assert redirected.client.http_client.api_url.netloc == "127.0.0.1:9"
    direct = TwilioTextOutput(TwilioSettings("AC" + "0" * 32, "token", "whatsapp:+15550001111"), "whatsapp")
    assert not isinstance(direct.client.http_client, RedirectedTwilioHttpClient)
    assert direct.sender == "whatsapp:+15550001111" and direct.name() == "whatsapp"


def test_sms_and_whatsapp_accept_only_their_own_senders() -> None:
    settings = TwilioSettings("AC" + "0" * 32, "token", "+15550001111")
    assert TwilioSmsInput(settings).accepts_sender("+15550003333")
    assert not TwilioSmsInput(settings).accepts_sender("whatsapp:+15550003333")
    assert WhatsAppInput(settings).accepts_sender("whatsapp:+15550003333")
    assert not WhatsAppInput(settings).accepts_sender("+15550003333")


def test_twilio_conversation_ids_need_no_escaping_and_map_back_to_the_address() -> None:
    for address, conversation_id in [
        ("+15550003333", "sms-15550003333"),
        ("whatsapp:+447700900123", "whatsapp-447700900123"),
    ]:
        assert conversation_id_for(address) == conversation_id
        assert address_for(conversation_id) == address
    assert conversation_id_for("55512") == "55512" and address_for("55512") == "55512"
