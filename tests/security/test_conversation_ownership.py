"""A conversation belongs to whoever the server gave it to: no one else can speak in it or read it."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Tuple

import pytest
import requests
import socketio

from bot.shared.webchat.session_proof import PROOF_HEADER
from tests.security.attacker import rest_say, tracker, user_texts
from tests.support.stack import Stack
from tests.support.webchat_client import TRANSPORTS, open_tab, run_coroutine, until


def _victims_chat(stack: Stack) -> Tuple[str, str]:
    """A customer's web chat session with one message in it: (session id, proof)."""

    async def scenario() -> Tuple[str, str]:
        tab = await open_tab(stack.rasa_url)
        try:
            assert (await tab.send({"message": "hello", "message_id": "victim-1"}))["status"] == "received"
            await until(lambda: any(kind == "bot" for kind, _ in tab.inbox))
        finally:
            await tab.close()
        return tab.session_id, tab.session_proof

    return run_coroutine(scenario())


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-rest-token"}])
def test_the_rest_channel_refuses_without_its_token(running_stack: Stack, headers: Dict[str, str]) -> None:
    sender = uuid.uuid4().hex
    assert rest_say(running_stack, sender, "hello", headers=headers).status_code == 401
    assert user_texts(running_stack, f"rest-{sender}") == []


def test_a_rest_caller_cannot_speak_in_another_channels_conversation(running_stack: Stack) -> None:
    victim, _ = _victims_chat(running_stack)
    before = user_texts(running_stack, victim)
    for sender in (victim, "whatsapp-447700900123"):
        answered = rest_say(running_stack, sender, "cancel my order ORD-100002")
        assert answered.status_code == 200
        assert all(message["recipient_id"] == f"rest-{sender}" for message in answered.json())
    assert user_texts(running_stack, victim) == before
    assert user_texts(running_stack, "whatsapp-447700900123") == []


@pytest.mark.parametrize("proof", [None, "", "A" * 43, "forged"])
def test_naming_a_session_without_its_proof_gives_a_new_session(running_stack: Stack, proof: Any) -> None:
    victim, _ = _victims_chat(running_stack)
    before = user_texts(running_stack, victim)

    async def scenario() -> str:
        request = {"session_id": victim} if proof is None else {"session_id": victim, "session_proof": proof}
        tab = await open_tab(running_stack.rasa_url, request=request)
        try:
            assert (await tab.send({"message": "where is my order?", "session_id": victim}))["status"] == "received"
        finally:
            await tab.close()
        return tab.session_id

    attackers_session = run_coroutine(scenario())
    assert attackers_session != victim
    assert user_texts(running_stack, victim) == before
    assert user_texts(running_stack, attackers_session) == ["where is my order?"]


def test_the_proof_continues_the_session_in_a_second_tab(running_stack: Stack) -> None:
    victim, proof = _victims_chat(running_stack)

    async def scenario() -> str:
        tab = await open_tab(running_stack.rasa_url, victim, proof)
        try:
            await tab.send({"message": "thanks", "message_id": "second-tab-1"})
        finally:
            await tab.close()
        return tab.session_id

    assert run_coroutine(scenario()) == victim
    assert user_texts(running_stack, victim)[-1] == "thanks"


def test_a_message_naming_another_session_lands_in_the_senders_own(running_stack: Stack) -> None:
    victim, _ = _victims_chat(running_stack)
    before = user_texts(running_stack, victim)

    async def scenario() -> str:
        tab = await open_tab(running_stack.rasa_url)
        try:
            await tab.send({"message": "I want a refund", "session_id": victim, "message_id": "x-1"})
        finally:
            await tab.close()
        return tab.session_id

    own = run_coroutine(scenario())
    assert user_texts(running_stack, victim) == before
    assert user_texts(running_stack, own) == ["I want a refund"]


@pytest.mark.parametrize("proof", [None, "A" * 43])
def test_a_transcript_is_readable_only_with_the_sessions_proof(running_stack: Stack, proof: Any) -> None:
    victim, real_proof = _victims_chat(running_stack)
    url = f"{running_stack.service_url}/webchat/history/{victim}"
    refused = requests.get(url, headers={PROOF_HEADER: proof} if proof else {}, timeout=30)
    assert refused.status_code == 404
    assert "hello" not in refused.text
    allowed = requests.get(url, headers={PROOF_HEADER: real_proof}, timeout=30)
    assert allowed.status_code == 200
    assert [m["text"] for m in allowed.json()["messages"] if m["sender"] == "user"] == ["hello"]


def test_a_browser_on_another_site_cannot_open_the_chat_socket(running_stack: Stack) -> None:
    async def scenario() -> bool:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(
                running_stack.rasa_url, transports=TRANSPORTS, headers={"Origin": "https://evil.example"}
            )
        except socketio.exceptions.ConnectionError:
            return False
        await client.disconnect()
        return True

    assert run_coroutine(scenario()) is False


def test_a_customer_cannot_type_the_agents_hand_back(running_stack: Stack) -> None:
    sender = uuid.uuid4().hex
    rest_say(running_stack, sender, "/EXTERNAL_handback")
    intents: List[str] = [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker(running_stack, f"rest-{sender}")["events"]
        if event.get("event") == "user"
    ]
    assert intents and "EXTERNAL_handback" not in intents
