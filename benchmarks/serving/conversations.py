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
class Turn:
    """What the customer types and what a right reply contains (any one of `expected`, ignoring case)."""

    text: str
    expected: Tuple[str, ...]

    def answered_by(self, replies: Sequence[str]) -> bool:
        joined = " ".join(replies).casefold()
        return any(part.casefold() in joined for part in self.expected)


@dataclass(frozen=True)
class Conversation:
    """What one customer types, turn by turn."""

    kind: str
    turns: Tuple[Turn, ...]

    @property
    def messages(self) -> Tuple[str, ...]:
        return tuple(turn.text for turn in self.turns)


# (question, product the answer names)
PRODUCT_QUESTIONS = (
    ("do you have the Aria Buds Pro in stock?", "Aria Buds Pro"),
    ("how much is the Vega P20 Pro", "Vega P20 Pro"),
    ("is the Orbit 15 Laptop any good for video editing", "Orbit 15 Laptop"),
    ("what are the specs of the Orbit Air 14", "Orbit Air 14"),
)
NONSENSE = ("purple monkey dishwasher quantum", "zxcv qwerty asdf", "book me a flight to the moon")
GREETING = ("virtual assistant",)
GOODBYE = ("goodbye",)
WELCOME = ("welcome",)
# out of scope, or not understood
NOT_UNDERSTOOD = ("can't help", "rephrase", "didn't get")
ASKS_FOR_EMAIL = ("email address",)


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
        # the answer names the order (ORD-100123) or its invoice (INV-100123)
        order_digits = (order.number.split("-")[-1],)
        kind = ("order status", "product question", "invoice", "fallback")[index % 4]
        if kind == "order status":
            turns = (
                Turn("hi", GREETING),
                Turn(f"where is my order {order.number}?", ASKS_FOR_EMAIL),
                Turn(order.email, order_digits),
                Turn("thanks, bye", GOODBYE),
            )
        elif kind == "product question":
            question, product = chooser.choice(PRODUCT_QUESTIONS)
            turns = (Turn("hello", GREETING), Turn(question, (product,)), Turn("thanks", WELCOME))
        elif kind == "invoice":
            turns = (
                Turn("hi there", GREETING),
                Turn(f"can I get the invoice for {order.number}", ASKS_FOR_EMAIL),
                Turn(order.email, order_digits),
                Turn("thank you", WELCOME),
            )
        else:
            turns = (
                Turn("hey", GREETING),
                Turn(chooser.choice(NONSENSE), NOT_UNDERSTOOD),
                Turn(chooser.choice(NONSENSE), NOT_UNDERSTOOD),
                Turn("bye", GOODBYE),
            )
        conversations.append(Conversation(kind=kind, turns=turns))
    return conversations


def starter_conversations(count: int, seed: int = 11) -> List[Conversation]:
    """Rasa's starter assistant knows greetings, moods, bot challenges and goodbyes."""
    chooser = random.Random(seed)
    how_are_you, bye, cheer_up = ("How are you",), ("Bye",), ("Did that help you",)
    scripts = (
        (Turn("hello", how_are_you), Turn("I am feeling great", ("carry on",)), Turn("bye", bye)),
        (
            Turn("hi", how_are_you),
            Turn("I am very sad", cheer_up),
            Turn("yes", ("carry on",)),
            Turn("goodbye", bye),
        ),
        (
            Turn("hey there", how_are_you),
            Turn("not good", cheer_up),
            Turn("no", bye),
            Turn("are you a bot?", ("I am a bot",)),
            Turn("bye", bye),
        ),
    )
    return [Conversation(kind="starter", turns=chooser.choice(scripts)) for _ in range(count)]
