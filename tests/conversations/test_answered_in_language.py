"""Conversations in Spanish, French and German through the real stack, answered in the customer's language.

Each one: an order's status after verification, a return (the refund, asked about and confirmed) and a
request for a person. The
widget's `metadata.language` goes with every message, as the web chat sends it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterator, List, Tuple

import pytest
import requests
from sqlalchemy import select

from bot.shared.database import create_database_engine
from bot.store.statuses import OrderStatus
from bot.store.tables import customers, orders, returns, shipments
from tests.conversations.language_replies import is_reply
from tests.support.rest_chat import say
from tests.support.stack import Stack, start_stack

CONVERSATIONS: Dict[str, Dict[str, str]] = {
    "es": {
        "track": "hola, ¿me puedes decir dónde está mi pedido?",
        "return": "quiero devolver mi pedido, el producto no me convence",
        "person": "quiero hablar con una persona, por favor",
        "yes": "vale",
    },
    "fr": {
        "track": "bonjour, pouvez-vous me dire où en est ma commande ?",
        "return": "je veux retourner ma commande, le produit ne me plaît pas",
        "person": "je veux parler à une vraie personne, s'il vous plaît",
        "yes": "d'accord",
    },
    "de": {
        "track": "hallo, können Sie mir sagen, wo meine Bestellung ist?",
        "return": "ich möchte meine Bestellung zurückgeben, das Produkt gefällt mir nicht",
        "person": "ich möchte bitte mit einem Menschen sprechen",
        "yes": "genau",
    },
}
HANDOFF_REPLIES = (
    "utter_handoff_queued",
    "utter_handoff_no_agents",
    "utter_handoff_closed",
    "utter_handoff_unavailable",
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole assistant on models/shop.tar.gz, as `make run` starts it."""
    running = start_stack(tmp_path_factory.mktemp("language-stack"))
    try:
        yield running.stack
    finally:
        running.stop()


@pytest.fixture(scope="module")
def returnable(stack: Stack) -> Dict[str, Tuple[str, str]]:
    """Per language, a delivered order of the demo store (number, email) still inside the return window."""
    engine = create_database_engine(stack.database_url)
    recent = datetime.now(timezone.utc) - timedelta(days=20)
    query = (
        select(orders.c.number, customers.c.email)
        .select_from(orders.join(customers).join(shipments))
        .where(orders.c.status == OrderStatus.DELIVERED, shipments.c.delivered_at > recent)
        .where(~orders.c.id.in_(select(returns.c.order_id)))
        .order_by(orders.c.number)
        .limit(len(CONVERSATIONS))
    )
    with engine.connect() as connection:
        rows = [(str(number), str(email)) for number, email in connection.execute(query)]
    engine.dispose()
    assert len(rows) == len(CONVERSATIONS)
    return dict(zip(sorted(CONVERSATIONS), rows, strict=True))


def answered_with(replies: List[str], response: str, language: str) -> bool:
    return any(is_reply(reply, response, language) for reply in replies)


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_order_status_after_verification(stack: Stack, language: str) -> None:
    sender = f"status-{language}-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, CONVERSATIONS[language]["track"], language)
    assert answered_with(replies, "utter_ask_order_number", language), replies
    replies = say(stack, sender, "ORD-100001", language)
    assert answered_with(replies, "utter_ask_email", language), replies
    replies = say(stack, sender, "maria.keller@example.com", language)
    assert answered_with(replies, "utter_order_status_shipped", language), replies


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_return_for_the_refund(stack: Stack, returnable: Dict[str, Tuple[str, str]], language: str) -> None:
    sender = f"return-{language}-{uuid.uuid4().hex[:8]}"
    number, email = returnable[language]
    replies = say(stack, sender, CONVERSATIONS[language]["return"], language)
    assert answered_with(replies, "utter_ask_order_number", language), replies
    replies = say(stack, sender, number, language)
    assert answered_with(replies, "utter_ask_email", language), replies
    replies = say(stack, sender, email, language)
    assert answered_with(replies, "utter_confirm_return", language), replies
    replies = say(stack, sender, CONVERSATIONS[language]["yes"], language)
    assert answered_with(replies, "utter_return_started", language), replies


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_request_for_a_person(stack: Stack, language: str) -> None:
    sender = f"person-{language}-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, CONVERSATIONS[language]["person"], language)
    assert any(answered_with(replies, response, language) for response in HANDOFF_REPLIES), replies


def test_a_language_the_assistant_does_not_speak_gets_the_english_answer_and_a_person(stack: Stack) -> None:
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
