"""Scripted multi-turn conversations that the simulated customers play."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import List, Sequence, Tuple


@dataclass(frozen=True)
class DemoOrder:
    number: str
    email: str


@dataclass(frozen=True)
class Conversation:
    """What one customer types, turn by turn."""

    kind: str
    messages: Tuple[str, ...]


PRODUCT_QUESTIONS = (
    "do you have the Aria Buds Pro in stock?",
    "how much is the Vega P20 Pro",
    "is the Orbit 15 Laptop any good for video editing",
    "tell me about the Breeze Robot Vacuum",
)
NONSENSE = ("blorp fizzle wug", "purple monkey dishwasher quantum", "zxcv qwerty asdf")


def demo_orders(database_url: str, limit: int = 200) -> List[DemoOrder]:
    """Real orders of the demo store with their customers' e-mail addresses."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT orders.number, customers.email FROM orders "
                    "JOIN customers ON customers.id = orders.customer_id "
                    "ORDER BY orders.number LIMIT :limit"
                ),
                {"limit": limit},
            ).fetchall()
    finally:
        engine.dispose()
    return [DemoOrder(number=row[0], email=row[1]) for row in rows]


def shop_conversations(orders: Sequence[DemoOrder], count: int, seed: int = 11) -> List[Conversation]:
    """Order status with verification, a product question, an invoice and a fallback, in turn."""
    if not orders:
        raise ValueError("the demo store has no orders to ask about")
    chooser = random.Random(seed)
    conversations: List[Conversation] = []
    for index in range(count):
        order = chooser.choice(orders)
        kind = ("order status", "product question", "invoice", "fallback")[index % 4]
        if kind == "order status":
            messages = ("hi", f"where is my order {order.number}?", order.email, "thanks, bye")
        elif kind == "product question":
            messages = ("hello", chooser.choice(PRODUCT_QUESTIONS), "thanks")
        elif kind == "invoice":
            messages = ("hi there", f"can I get the invoice for {order.number}", order.email, "thank you")
        else:
            messages = ("hey", chooser.choice(NONSENSE), chooser.choice(NONSENSE), "bye")
        conversations.append(Conversation(kind=kind, messages=messages))
    return conversations


def starter_conversations(count: int, seed: int = 11) -> List[Conversation]:
    """Rasa's starter assistant knows greetings, moods, bot challenges and goodbyes."""
    chooser = random.Random(seed)
    scripts = (
        ("hello", "I am feeling great", "bye"),
        ("hi", "I am very sad", "yes", "goodbye"),
        ("hey there", "not good", "no", "are you a bot?", "bye"),
    )
    return [Conversation(kind="starter", messages=chooser.choice(scripts)) for _ in range(count)]
