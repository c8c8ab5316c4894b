"""The whole loop with a real Rasa server and action server: escalate, chat with an agent, hand back, rate."""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Iterator, List

import pytest
import requests

from bot.rasa_server.channels.rest_token import CONVERSATION_PREFIX, conversation_id
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.service.handoff.delivery_evidence import hand_back_progress, message_delivered
from bot.service.handoff.outbox_repository import OutboxRepository
from bot.service.handoff.records import AgentStatus, OutboxKind
from bot.service.handoff.transcript_repository import TranscriptRepository
from tests.support.handoff_fixtures import auth
from tests.support.handoff_stack import HandoffStack, RunningHandoffStack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HandoffStack]:
    running = RunningHandoffStack(tmp_path_factory.mktemp("handoff-stack")).start()
    yield running.stack
    running.stop()


@pytest.fixture(scope="module")
def token(stack: HandoffStack) -> str:
    engine = create_handoff_engine(stack.database_url)
    create_handoff_tables(engine)
    agents = AgentRepository(engine)
    agent = agents.create("dana", "Dana", "password-123", max_concurrent_chats=10)
    agents.set_status(agent.id, AgentStatus.ONLINE)
    engine.dispose()
    response = requests.post(
        f"{stack.service_url}/api/agents/login", json={"username": "dana", "password": "password-123"}, timeout=10
    )
    return response.json()["token"]


def say(stack: HandoffStack, conversation_id: str, text: str) -> List[str]:
    """`conversation_id` is the REST channel's `rest-<sender>`."""
    sender = conversation_id[len(CONVERSATION_PREFIX) :]
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        headers=stack.rest_headers,
        json={"sender": sender, "message": text},
        timeout=60,
    )
    assert response.status_code == 200
    return [message.get("text", "") for message in response.json()]


def tracker(stack: HandoffStack, conversation_id: str) -> Dict[str, Any]:
    return requests.get(
        f"{stack.rasa_url}/conversations/{conversation_id}/tracker", headers=stack.rasa_api_headers, timeout=10
    ).json()


def notice_payloads(stack: HandoffStack, conversation_id: str) -> List[Dict[str, Any]]:
    """The custom payloads of the conversation's bot messages, in order."""
    events = tracker(stack, conversation_id)["events"]
    return [
        event["data"]["custom"]
        for event in events
        if event["event"] == "bot" and (event.get("data") or {}).get("custom")
    ]


def eventually(check: Callable[[], Any], seconds: float = 15.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def test_a_customer_reaches_an_agent_and_comes_back_to_the_bot(stack: HandoffStack, token: str) -> None:
    conversation = conversation_id("e2e-customer-1")
    say(stack, conversation, "/greet")
    replies = say(stack, conversation, "/human_handoff")
    assert any("number 1 in the queue" in reply for reply in replies), replies
    assert tracker(stack, conversation)["paused"] is True

    waiting = requests.get(f"{stack.service_url}/api/handoffs?status=waiting", headers=auth(token), timeout=10).json()[
        "handoffs"
    ]
    [handoff] = [item for item in waiting if item["conversation_id"] == conversation]
    assert (handoff["channel"], handoff["reason"], handoff["queue_position"]) == ("rest", "customer_request", 1)
    handoff_url = f"{stack.service_url}/api/handoffs/{handoff['id']}"
    assert requests.post(f"{handoff_url}/claim", headers=auth(token), timeout=10).status_code == 200

    sent = requests.post(
        f"{handoff_url}/messages", json={"text": "Hi, Dana here. How can I help?"}, headers=auth(token), timeout=10
    )
    assert sent.status_code == 201
    bot_texts = [event.get("text") for event in tracker(stack, conversation)["events"] if event["event"] == "bot"]
    assert "Hi, Dana here. How can I help?" in bot_texts

    # while paused the bot stays silent and the message reaches the agent through the event broker
    assert say(stack, conversation, "my parcel is damaged") == []

    def customer_lines() -> List[str]:
        detail = requests.get(handoff_url, headers=auth(token), timeout=10).json()
        return [entry["text"] for entry in detail["transcript"] if entry["sender"] == "customer"]

    assert "my parcel is damaged" in eventually(lambda: "my parcel is damaged" in customer_lines() and customer_lines())
    detail = requests.get(handoff_url, headers=auth(token), timeout=10).json()
    senders = [entry["sender"] for entry in detail["transcript"]]
    assert senders[:2] == ["customer", "bot"] and "agent" in senders
    assert detail["history_available"] is True

    closed = requests.post(f"{handoff_url}/close", json={"outcome": "back_to_bot"}, headers=auth(token), timeout=10)
    assert closed.status_code == 200 and closed.json()["handoff"]["status"] == "closed"
    after = tracker(stack, conversation)
    assert after["paused"] is False
    # Rasa keeps the outbox's keys in the events' metadata: a retry after a lost answer can tell it got through
    engine = create_handoff_engine(stack.database_url)
    entries = {entry.kind: entry for entry in OutboxRepository(engine).for_handoff(handoff["id"])}
    engine.dispose()
    assert message_delivered(after, entries[OutboxKind.MESSAGE].delivery_key)
    progress = hand_back_progress(after, entries[OutboxKind.HAND_BACK].delivery_key)
    assert progress.resumed and progress.triggered
    texts = [event.get("text") for event in after["events"] if event["event"] == "bot"]
    assert "How would you rate the help you got today?" in texts

    assert "Thank you for your feedback!" in say(stack, conversation, '/rate{"rating": 5}')
    engine = create_handoff_engine(stack.database_url)
    ratings = TranscriptRepository(engine).ratings(conversation)
    engine.dispose()
    assert [(rating.score, rating.handoff_id) for rating in ratings] == [(5, handoff["id"])]


def test_waiting_customers_hear_when_they_move_up_the_queue(stack: HandoffStack, token: str) -> None:
    # WhatsApp-style ids: `+` and `:` must reach Rasa's API as they are, or the notices go to nobody.
    first, second = conversation_id("whatsapp:+4915100000001"), conversation_id("e2e-queue-second")
    assert any("number 1 in the queue" in reply for reply in say(stack, first, "/human_handoff"))
    assert any("number 2 in the queue" in reply for reply in say(stack, second, "/human_handoff"))
    waiting = requests.get(f"{stack.service_url}/api/handoffs?status=waiting", headers=auth(token), timeout=10).json()[
        "handoffs"
    ]
    [ahead] = [item for item in waiting if item["conversation_id"] == first]
    claimed = requests.post(f"{stack.service_url}/api/handoffs/{ahead['id']}/claim", headers=auth(token), timeout=10)
    assert claimed.status_code == 200

    def bot_texts(conversation: str) -> List[str]:
        return [event.get("text") for event in tracker(stack, conversation)["events"] if event["event"] == "bot"]

    assert eventually(lambda: "Dana from our support team has joined the chat." in bot_texts(first))
    assert eventually(lambda: "You're next in line; an agent will be with you shortly." in bot_texts(second))
    # The widget shows the notice from this payload; other channels only send the text.
    assert notice_payloads(stack, first) == [{"handoff": {"event": "agent_joined", "agent": "Dana"}}]

    resolved = requests.post(
        f"{stack.service_url}/api/handoffs/{ahead['id']}/close",
        json={"outcome": "resolved"},
        headers=auth(token),
        timeout=10,
    )
    assert resolved.status_code == 200
    assert "Dana has closed this chat. Thanks for talking to us." in bot_texts(first)
    assert notice_payloads(stack, first)[-1] == {"handoff": {"event": "agent_left", "agent": "Dana"}}
    # leave the queue empty for whichever test runs next
    [behind] = [item for item in waiting if item["conversation_id"] == second]
    requests.post(f"{stack.service_url}/api/handoffs/{behind['id']}/claim", headers=auth(token), timeout=10)
