"""No change to an order without the customer's clear yes, through the real stack, in all four languages.

The assistant runs for real (Rasa server with the trained model, action server, bot service, SQLite); each
case compares the order's rows (its status, refunds and returns) in the database before and after.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests
from sqlalchemy import select

from bot.shared.database import create_database_engine
from bot.store.statuses import OrderStatus
from bot.store.tables import customers, orders, refunds, returns, shipments
from tests.conversations.language_replies import is_reply
from tests.support.stack import Stack, start_stack

# per language: asking for the refund, an angry answer to the question, and a plain yes
CONVERSATIONS: Dict[str, Dict[str, str]] = {
    "en": {
        "return": "I want to return my order, the product is not what I expected",
        "angry": "this is ridiculous, I want my money back now",
        "yes": "yes",
    },
    "es": {
        "return": "quiero devolver mi pedido, el producto no me convence",
        "angry": "esto es ridículo, quiero que me devuelvan mi dinero ya",
        "yes": "sí",
    },
    "fr": {
        "return": "je veux retourner ma commande, le produit ne me plaît pas",
        "angry": "c'est ridicule, je veux être remboursé maintenant",
        "yes": "oui",
    },
    "de": {
        "return": "ich möchte meine Bestellung zurückgeben, das Produkt gefällt mir nicht",
        "angry": "das ist lächerlich, ich will sofort mein Geld zurück",
        "yes": "ja",
    },
}
DECLINES = {"en": "no", "es": "no", "fr": "non", "de": "nein"}
DUPLICATE_CHARGE = ("ORD-100004", "omar.haddad@example.com")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("consent-stack"))
    try:
        yield running.stack
    finally:
        running.stop()


@pytest.fixture(scope="module")
def returnable(stack: Stack) -> List[Tuple[str, str]]:
    """Delivered orders of the demo store (number, email) inside the return window and without a return."""
    engine = create_database_engine(stack.database_url)
    recent = datetime.now(timezone.utc) - timedelta(days=20)
    query = (
        select(orders.c.number, customers.c.email)
        .select_from(orders.join(customers).join(shipments))
        .where(orders.c.status == OrderStatus.DELIVERED, shipments.c.delivered_at > recent)
        .where(~orders.c.id.in_(select(returns.c.order_id)))
        .order_by(orders.c.number)
        .limit(2 * len(CONVERSATIONS))
    )
    with engine.connect() as connection:
        rows = [(str(number), str(email)) for number, email in connection.execute(query)]
    engine.dispose()
    assert len(rows) == 2 * len(CONVERSATIONS)
    return rows


def order_rows(stack: Stack, number: str) -> Dict[str, Any]:
    """What a change would write: the order's status and every refund and return row of it."""
    engine = create_database_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            order = connection.execute(select(orders.c.id, orders.c.status).where(orders.c.number == number)).one()
            return {
                "status": str(getattr(order.status, "value", order.status)),
                "refunds": [
                    tuple(row) for row in connection.execute(select(refunds).where(refunds.c.order_id == order.id))
                ],
                "returns": [
                    tuple(row) for row in connection.execute(select(returns).where(returns.c.order_id == order.id))
                ],
            }
    finally:
        engine.dispose()


def say(stack: Stack, sender: str, text: str, language: str) -> List[Dict[str, Any]]:
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        headers=stack.rest_headers,
        json={"sender": sender, "message": text, "metadata": {"language": language}},
        timeout=60,
    )
    assert response.status_code == 200
    return list(response.json())


def answered_with(replies: List[Dict[str, Any]], response: str, language: str) -> bool:
    return any(is_reply(reply.get("text", ""), response, language) for reply in replies)


def verified(stack: Stack, sender: str, first: str, order: Tuple[str, str], language: str) -> List[Dict[str, Any]]:
    """Asks `first`, then gives the order number and its email; the replies to the email."""
    assert answered_with(say(stack, sender, first, language), "utter_ask_order_number", language)
    assert answered_with(say(stack, sender, order[0], language), "utter_ask_email", language)
    return say(stack, sender, order[1], language)


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_return_is_asked_about_an_angry_answer_changes_nothing_and_only_a_yes_starts_it(
    stack: Stack, returnable: List[Tuple[str, str]], language: str
) -> None:
    order = returnable[sorted(CONVERSATIONS).index(language)]
    sender = f"consent-{language}-{uuid.uuid4().hex[:8]}"
    before = order_rows(stack, order[0])

    question = verified(stack, sender, CONVERSATIONS[language]["return"], order, language)
    assert answered_with(question, "utter_confirm_return", language), question
    assert [button["payload"] for reply in question for button in reply.get("buttons", [])] == ["/affirm", "/deny"]
    assert order_rows(stack, order[0]) == before

    angry = say(stack, sender, CONVERSATIONS[language]["angry"], language)
    assert not answered_with(angry, "utter_return_started", language), angry
    assert order_rows(stack, order[0]) == before

    if not answered_with(angry, "utter_confirm_return", language):
        # taken as a complaint rather than a new request: the return is asked for again in a new chat
        sender = f"{sender}-again"
        question = verified(stack, sender, CONVERSATIONS[language]["return"], order, language)
        assert answered_with(question, "utter_confirm_return", language), question
    started = say(stack, sender, CONVERSATIONS[language]["yes"], language)
    assert answered_with(started, "utter_return_started", language), started
    after = order_rows(stack, order[0])
    assert len(after["returns"]) == len(before["returns"]) + 1
    assert after["status"] == before["status"] and after["refunds"] == before["refunds"]


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_no_to_the_return_question_says_nothing_changed_and_changes_nothing(
    stack: Stack, returnable: List[Tuple[str, str]], language: str
) -> None:
    order = returnable[len(CONVERSATIONS) + sorted(CONVERSATIONS).index(language)]
    sender = f"decline-{language}-{uuid.uuid4().hex[:8]}"
    before = order_rows(stack, order[0])
    question = verified(stack, sender, CONVERSATIONS[language]["return"], order, language)
    assert answered_with(question, "utter_confirm_return", language), question
    kept = say(stack, sender, DECLINES[language], language)
    assert answered_with(kept, "utter_return_kept", language), kept
    assert order_rows(stack, order[0]) == before


def test_an_angry_message_after_the_duplicate_charge_answer_changes_nothing(stack: Stack) -> None:
    sender = f"duplicate-{uuid.uuid4().hex[:8]}"
    before = order_rows(stack, DUPLICATE_CHARGE[0])
    found = verified(stack, sender, "you charged me twice for my order", DUPLICATE_CHARGE, "en")
    assert answered_with(found, "utter_duplicate_charge", "en"), found

    angry = say(stack, sender, "this is ridiculous, I want my money back now", "en")
    assert not answered_with(angry, "utter_return_started", "en"), angry
    assert order_rows(stack, DUPLICATE_CHARGE[0]) == before
