"""Customers cannot type the bot service's `EXTERNAL_` intents; every other shortcut and text is left alone."""

from __future__ import annotations

from typing import List, Optional

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.channels.customer_text import customer_text, guarded
from bot.shared.settings import PROJECT_ROOT

RESERVED = [
    "/EXTERNAL_handback",
    ' /EXTERNAL_x{"a":1}',
    "/ EXTERNAL_handback",
    "  /EXTERNAL_handback",
    "\t/EXTERNAL_handback@1.0",
    "/\tEXTERNAL_handback",
    '/EXTERNAL_handback{"agent": "sam"}',
]
UNCHANGED = [
    "/human_handoff",
    "/restart",
    '/order_status{"order_number": "ORD-100123"}',
    "where is my order ORD-100123?",
    "what does EXTERNAL_handback mean",
    "I got /EXTERNAL_handback in an e-mail",
    "/external_handback",
    "//EXTERNAL_handback",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def rasa_intent(text: str, domain: Domain) -> Optional[str]:
    """The intent Rasa's regex message handler reads from `text`, the way the Rasa server would."""
    message = YAMLStoryReader.unpack_regex_message(Message(data={"text": UserMessage(text).text or ""}), domain)
    intent = message.get("intent")
    return intent.get("name") if intent else None


@pytest.mark.parametrize("text", RESERVED)
def test_a_typed_external_intent_becomes_words(text: str) -> None:
    words = customer_text(text)
    assert not words.strip().startswith("/")
    assert "EXTERNAL_" in words  # the customer's words are kept, only the shortcut is gone


@pytest.mark.parametrize("text", RESERVED)
def test_rasa_no_longer_reads_an_external_intent(text: str, domain: Domain) -> None:
    if text.startswith(("/EXTERNAL_handback", " /EXTERNAL_handback", "/ EXTERNAL_handback")):
        assert rasa_intent(text, domain) == "EXTERNAL_handback"  # the control: unguarded, Rasa would obey
    assert rasa_intent(customer_text(text), domain) is None


@pytest.mark.parametrize("text", UNCHANGED)
def test_everything_else_is_unchanged(text: str) -> None:
    assert customer_text(text) == text


def test_the_web_chat_buttons_still_reach_rasa_as_intents(domain: Domain) -> None:
    assert rasa_intent(customer_text("/human_handoff"), domain) == "human_handoff"


async def test_guarded_passes_every_message_through_customer_text() -> None:
    received: List[UserMessage] = []

    async def on_new_message(message: UserMessage) -> str:
        received.append(message)
        return "handled"

    handle = guarded(on_new_message)
    output = CollectingOutputChannel()
    assert await handle(UserMessage("/EXTERNAL_handback", output, "web-1")) == "handled"
    assert await handle(UserMessage("/human_handoff", output, "web-1")) == "handled"
    assert [message.text for message in received] == ["EXTERNAL_handback", "/human_handoff"]
    assert received[0].sender_id == "web-1" and received[0].output_channel is output


async def test_guarded_leaves_a_message_without_text_alone() -> None:
    received: List[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    await guarded(on_new_message)(UserMessage(None, CollectingOutputChannel(), "web-1"))
    assert len(received) == 1 and received[0].text is None
