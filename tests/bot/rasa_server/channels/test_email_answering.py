"""Each question of a mail reaches Rasa with who the thread belongs to and who wrote this very mail."""

from __future__ import annotations

import asyncio
from typing import List

from rasa.core.channels.channel import UserMessage

from bot.rasa_server.channels.email_answering import AUTHOR_KEY, SENDER_KEY, answer
from bot.shared.email.threads import Thread

THREAD = Thread(
    conversation_id="email-0123",
    customer_address="lena.fischer@example.com",
    subject="Return",
    last_message_id="ours@shop.example",
    references=("theirs@customer.example", "ours@shop.example"),
    choices=(
        {"title": "Yes, start the return", "payload": "/affirm"},
        {"title": "No, keep the order", "payload": "/deny"},
    ),
)


def _passed_on(parts: List[str], author: str) -> List[UserMessage]:
    received: List[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    asyncio.run(answer(parts, THREAD, author, on_new_message))
    return received


def test_a_reply_from_another_address_is_passed_on_with_that_address_as_its_author() -> None:
    [message] = _passed_on(["1"], "friend@elsewhere.example")
    assert message.text == "/affirm"
    assert message.input_channel == "email"
    assert message.metadata[SENDER_KEY] == "lena.fischer@example.com"
    assert message.metadata[AUTHOR_KEY] == "friend@elsewhere.example"


def test_only_the_first_question_of_a_mail_is_read_as_a_choice() -> None:
    first, second = _passed_on(["2", "1"], "lena.fischer@example.com")
    assert (first.text, second.text) == ("/deny", "1")
    assert first.metadata[AUTHOR_KEY] == second.metadata[AUTHOR_KEY] == "lena.fischer@example.com"
