"""Conversations in Spanish, French and German through the real stack, answered in the customer's language.

Each one: an order's status after verification, a return (the refund) and a request for a person. The
widget's `metadata.language` goes with every message, as the web chat sends it.
"""

from __future__ import annotations

import uuid
from typing import Dict, Iterator, List

import pytest
import requests

from tests.conversations.language_replies import is_reply
from tests.support.handoff_stack import HandoffStack, RunningHandoffStack

CONVERSATIONS: Dict[str, Dict[str, str]] = {
    "es": {
        "track": "hola, ¿me puedes decir dónde está mi pedido?",
        "return": "quiero devolver mi pedido, el producto no me convence",
        "person": "quiero hablar con una persona, por favor",
    },
    "fr": {
        "track": "bonjour, pouvez-vous me dire où en est ma commande ?",
        "return": "je veux retourner ma commande, le produit ne me plaît pas",
        "person": "je veux parler à une vraie personne, s'il vous plaît",
    },
    "de": {
        "track": "hallo, können Sie mir sagen, wo meine Bestellung ist?",
        "return": "ich möchte meine Bestellung zurückgeben, das Produkt gefällt mir nicht",
        "person": "ich möchte bitte mit einem Menschen sprechen",
    },
}
HANDOFF_REPLIES = (
    "utter_handoff_queued",
    "utter_handoff_no_agents",
    "utter_handoff_closed",
    "utter_handoff_unavailable",
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HandoffStack]:
    running = RunningHandoffStack(tmp_path_factory.mktemp("language-stack")).start()
    yield running.stack
    running.stop()


def say(stack: HandoffStack, sender: str, text: str, language: str) -> List[str]:
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        headers=stack.rest_headers,
        json={"sender": sender, "message": text, "metadata": {"language": language}},
        timeout=60,
    )
    assert response.status_code == 200
    return [message.get("text", "") for message in response.json()]


def answered_with(replies: List[str], response: str, language: str) -> bool:
    return any(is_reply(reply, response, language) for reply in replies)


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_order_status_after_verification(stack: HandoffStack, language: str) -> None:
    sender = f"status-{language}-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, CONVERSATIONS[language]["track"], language)
    assert answered_with(replies, "utter_ask_order_number", language), replies
    replies = say(stack, sender, "ORD-100001", language)
    assert answered_with(replies, "utter_ask_email", language), replies
    replies = say(stack, sender, "maria.keller@example.com", language)
    assert answered_with(replies, "utter_order_status_shipped", language), replies


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_return_for_the_refund(stack: HandoffStack, language: str) -> None:
    sender = f"return-{language}-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, CONVERSATIONS[language]["return"], language)
    assert answered_with(replies, "utter_ask_order_number", language), replies
    say(stack, sender, "ORD-100003", language)
    replies = say(stack, sender, "lena.fischer@example.com", language)
    assert answered_with(replies, "utter_return_started", language), replies


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_request_for_a_person(stack: HandoffStack, language: str) -> None:
    sender = f"person-{language}-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, CONVERSATIONS[language]["person"], language)
    assert any(answered_with(replies, response, language) for response in HANDOFF_REPLIES), replies


def test_a_language_the_assistant_does_not_speak_gets_the_english_answer_and_a_person(stack: HandoffStack) -> None:
    sender = f"italian-{uuid.uuid4().hex[:8]}"
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        headers=stack.rest_headers,
        json={"sender": sender, "message": "buongiorno, vorrei sapere dove si trova il mio ordine, grazie"},
        timeout=60,
    )
    [message] = response.json()
    assert is_reply(message["text"], "utter_unsupported_language", "en")
    assert [button["payload"] for button in message["buttons"]] == ["/human_handoff"]
