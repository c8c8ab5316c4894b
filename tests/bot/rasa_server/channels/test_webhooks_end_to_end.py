"""Platform webhooks against the running assistant: replies, rich replies and agent replies reach the platform.

The assistant runs for real (Rasa server with the trained model, action server, bot service); only the
platforms' send APIs are stood in for by a local server on loopback.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List

import pytest
import requests

from bot.rasa_server.channels.twilio_sms import conversation_id_for
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from tests.bot.rasa_server.channels.platform_requests import (
    PlatformSecrets,
    WebhookRequest,
    channel_environment,
    messenger_message,
    slack_message,
    telegram_message,
    twilio_message,
)
from tests.bot.rasa_server.channels.platform_standin import PlatformStandIn, SentMessage
from tests.support.stack import Stack, start_stack

SECRETS = PlatformSecrets()
FORGED = PlatformSecrets(
    messenger_app_secret="not-the-app-secret",
    twilio_auth_token="not-the-auth-token",
    telegram_secret_token="not-the-secret-token",
    slack_signing_secret="not-the-signing-secret",
)


@dataclass(frozen=True)
class Customer:
    """One customer on one platform: how to write as them and where replies to them land."""

    platform: str  # the stand-in's name for the platform's API
    channel: str  # Rasa's input channel name
    conversation_id: str
    reply_recipient: str
    later_recipient: str  # where messages sent outside a webhook call (agents, rich replies) land
    write: Callable[[PlatformSecrets, str, str], WebhookRequest]


def _customer(kind: str) -> Customer:
    suffix = uuid.uuid4().hex[:10]
    if kind == "messenger":
        psid = f"7{random.randint(10**14, 10**15 - 1)}"
        return Customer("messenger", "facebook", psid, psid, psid, lambda s, _u, t: messenger_message(s, psid, t))
    if kind in ("sms", "whatsapp"):
        number = f"+1555{random.randint(10**6, 10**7 - 1)}"
        sender = f"whatsapp:{number}" if kind == "whatsapp" else number
        channel = "whatsapp" if kind == "whatsapp" else "twilio"
        return Customer(
            "twilio",
            channel,
            conversation_id_for(sender),
            sender,
            sender,
            lambda s, rasa_url, t: twilio_message(s, rasa_url, channel, sender, t),
        )
    if kind == "telegram":
        chat_id = random.randint(10**8, 10**9)
        return Customer(
            "telegram",
            "telegram",
            str(chat_id),
            str(chat_id),
            str(chat_id),
            lambda s, _u, t: telegram_message(s, chat_id, t),
        )
    user_id, dm_channel = f"U{suffix.upper()}", f"D{suffix.upper()}"
    return Customer(
        "slack", "slack", user_id, dm_channel, user_id, lambda s, _u, t: slack_message(s, user_id, dm_channel, t)
    )


PLATFORMS = ["messenger", "sms", "whatsapp", "telegram", "slack"]


@pytest.fixture(scope="module")
def standin() -> Iterator[PlatformStandIn]:
    server = PlatformStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def channel_stack(tmp_path_factory: pytest.TempPathFactory, standin: PlatformStandIn) -> Iterator[Stack]:
    """The assistant with every platform switched on by its environment variables."""
    # Room for one open chat per platform, so one failed hand-back cannot block the other tests.
    env = {**channel_environment(SECRETS, standin.base_url), "AGENT_MAX_CHATS": "20"}
    running = start_stack(tmp_path_factory.mktemp("channel-stack"), extra_env=env)
    try:
        yield running.stack
    finally:
        running.stop()


def _post(stack: Stack, request: WebhookRequest) -> requests.Response:
    return requests.post(stack.rasa_url + request.path, data=request.body, headers=request.headers, timeout=60)


def _tracker(stack: Stack, conversation_id: str) -> Dict:
    response = requests.get(stack.tracker_url(conversation_id), headers=stack.rasa_api_headers, timeout=30)
    response.raise_for_status()
    return response.json()


def _user_texts(stack: Stack, conversation_id: str) -> List[str]:
    return [e.get("text") for e in _tracker(stack, conversation_id)["events"] if e.get("event") == "user"]


def _rest_reply(stack: Stack, text: str) -> List[str]:
    """What the assistant says to `text` at the start of a conversation, asked over the REST channel."""
    response = requests.post(
        stack.rasa_url + "/webhooks/rest/webhook",
        json={"sender": uuid.uuid4().hex, "message": text},
        headers=stack.rest_headers,
        timeout=60,
    )
    response.raise_for_status()
    return [message["text"] for message in response.json() if message.get("text")]


@pytest.mark.parametrize("kind", PLATFORMS)
def test_a_signed_message_is_answered_on_the_same_platform(
    channel_stack: Stack, standin: PlatformStandIn, kind: str
) -> None:
    customer = _customer(kind)
    expected = _rest_reply(channel_stack, "hello")
    assert expected, "the assistant should greet back"

    response = _post(channel_stack, customer.write(SECRETS, channel_stack.rasa_url, "hello"))

    assert response.status_code in (200, 204), response.text
    first_paragraph = expected[0].split("\n\n")[0].strip()
    standin.wait_for(customer.platform, customer.reply_recipient, lambda m: m.text.strip().startswith(first_paragraph))
    tracker = _tracker(channel_stack, customer.conversation_id)
    assert tracker["latest_input_channel"] == customer.channel
    assert _user_texts(channel_stack, customer.conversation_id) == ["hello"]


@pytest.mark.parametrize("kind", PLATFORMS)
def test_a_forged_request_is_refused_and_changes_no_conversation(
    channel_stack: Stack, standin: PlatformStandIn, kind: str
) -> None:
    customer = _customer(kind)

    response = _post(channel_stack, customer.write(FORGED, channel_stack.rasa_url, "cancel my order ORD-100002"))

    assert response.status_code in (401, 403), response.text
    assert _user_texts(channel_stack, customer.conversation_id) == []
    assert standin.messages_to(customer.platform, customer.reply_recipient) == []


# Telegram authenticates the sender with a secret header but does not sign the body, so it is not here.
@pytest.mark.parametrize("kind", ["messenger", "sms", "whatsapp", "slack"])
def test_a_signed_request_with_a_tampered_body_is_refused(channel_stack: Stack, kind: str) -> None:
    customer = _customer(kind)
    signed = customer.write(SECRETS, channel_stack.rasa_url, "hello")
    tampered = WebhookRequest(signed.path, signed.body.replace(b"hello", b"HELLO"), signed.headers)

    response = _post(channel_stack, tampered)

    assert response.status_code in (401, 403), response.text
    assert _user_texts(channel_stack, customer.conversation_id) == []


def _buttons_as_sent(message: SentMessage) -> List[str]:
    """The button titles in the platform's own format."""
    payload = message.payload
    if message.platform == "telegram":
        return [button["text"] for row in payload["reply_markup"]["inline_keyboard"] for button in row]
    if message.platform == "messenger":
        attachment = payload["message"].get("attachment")
        if attachment:
            return [button["title"] for button in attachment["payload"]["buttons"]]
        return [reply["title"] for reply in payload["message"]["quick_replies"]]
    if message.platform == "slack":
        blocks = payload["blocks"] if isinstance(payload["blocks"], list) else json.loads(payload["blocks"])
        return [
            element["text"]["text"] for block in blocks if block["type"] == "actions" for element in block["elements"]
        ]
    return [line[2:] for line in message.text.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("kind", PLATFORMS)
def test_buttons_reach_each_platform_in_its_own_format(
    channel_stack: Stack, standin: PlatformStandIn, kind: str
) -> None:
    customer = _customer(kind)
    assert _post(channel_stack, customer.write(SECRETS, channel_stack.rasa_url, "hello")).status_code in (200, 204)
    standin.wait_for(customer.platform, customer.reply_recipient, lambda m: bool(m.text))
    question = f"Shall I cancel order ORD-100002? ({uuid.uuid4().hex[:6]})"

    response = requests.post(
        f"{channel_stack.rasa_url}/conversations/{customer.conversation_id}/tracker/events",
        params={"output_channel": "latest", "execute_side_effects": "true"},
        headers=channel_stack.rasa_api_headers,
        json={
            "event": "bot",
            "text": question,
            "data": {
                "buttons": [
                    {"title": "Yes, cancel it", "payload": "/affirm"},
                    {"title": "No, keep it", "payload": "/deny"},
                ]
            },
        },
        timeout=30,
    )

    assert response.status_code == 200, response.text
    sent = standin.wait_for(customer.platform, customer.later_recipient, lambda m: question in m.text)
    assert _buttons_as_sent(sent) == ["Yes, cancel it", "No, keep it"]


@pytest.fixture(scope="module")
def agent_session(channel_stack: Stack) -> Dict[str, str]:
    """An agent, logged in and online."""
    engine = create_handoff_engine(channel_stack.database_url)
    try:
        create_handoff_tables(engine)
        AgentRepository(engine).create("channel-agent", "Channel Agent", "channel-agent-password")
    finally:
        engine.dispose()
    login = requests.post(
        channel_stack.service_url + "/api/agents/login",
        json={"username": "channel-agent", "password": "channel-agent-password"},
        timeout=30,
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    status = requests.post(
        channel_stack.service_url + "/api/agents/me/status", json={"status": "online"}, headers=headers, timeout=30
    )
    status.raise_for_status()
    return headers


def _wait_for_handoff(stack: Stack, headers: Dict[str, str], conversation_id: str) -> Dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = requests.get(
            stack.service_url + "/api/handoffs", params={"status": "waiting"}, headers=headers, timeout=30
        )
        response.raise_for_status()
        for handoff in response.json()["handoffs"]:
            if handoff["conversation_id"] == conversation_id:
                return handoff
        time.sleep(0.2)
    raise AssertionError(f"no handoff was opened for {conversation_id}")


@pytest.mark.parametrize("kind", PLATFORMS)
def test_an_agent_reply_during_a_handoff_reaches_the_customer_on_the_platform(
    channel_stack: Stack, standin: PlatformStandIn, agent_session: Dict[str, str], kind: str
) -> None:
    customer = _customer(kind)
    asked = _post(channel_stack, customer.write(SECRETS, channel_stack.rasa_url, "I want to talk to a human"))
    assert asked.status_code in (200, 204), asked.text
    handoff = _wait_for_handoff(channel_stack, agent_session, customer.conversation_id)
    assert handoff["channel"] == customer.channel

    claim = requests.post(
        f"{channel_stack.service_url}/api/handoffs/{handoff['id']}/claim", headers=agent_session, timeout=30
    )
    assert claim.status_code == 200, claim.text
    agent_text = f"Hello, this is the support team ({uuid.uuid4().hex[:6]}). How can I help?"
    sent = requests.post(
        f"{channel_stack.service_url}/api/handoffs/{handoff['id']}/messages",
        json={"text": agent_text},
        headers=agent_session,
        timeout=30,
    )
    assert sent.status_code == 201, sent.text

    standin.wait_for(customer.platform, customer.later_recipient, lambda m: m.text.strip() == agent_text)
    closed = requests.post(
        f"{channel_stack.service_url}/api/handoffs/{handoff['id']}/close",
        json={"outcome": "back_to_bot"},
        headers=agent_session,
        timeout=30,
    )
    assert closed.status_code == 200, closed.text
