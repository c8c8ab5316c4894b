"""Runs each question of a mail through Rasa and gathers the replies for one answering mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Sequence

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.shared.email import attachments as dropped
from bot.shared.email.choices import choices_of, chosen
from bot.shared.email.inbound import DroppedAttachment
from bot.shared.email.threads import Thread

CHANNEL_NAME = "email"
# What actions read to learn who wrote (actions/email_identity.py); trusted only on this input channel.
SENDER_KEY = "email_sender"
# The From address of the mail itself, which may differ from the thread's: a confirmation counts only from the order's.
AUTHOR_KEY = "email_from"


@dataclass
class Answer:
    paragraphs: List[str] = field(default_factory=list)
    choices: List[Dict[str, Any]] = field(default_factory=list)
    # questions not run because an earlier one asked something the customer must answer first
    held_back: int = 0


def _paragraphs(messages: Sequence[Dict[str, Any]]) -> List[str]:
    found = []
    for message in messages:
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            found.append(text.strip())
        image = message.get("image")
        if isinstance(image, str) and image.startswith(("http://", "https://")):
            found.append(image)
    return found


async def answer(
    parts: Sequence[str],
    thread: Thread,
    author: str,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    attachments: Sequence[DroppedAttachment] = (),
) -> Answer:
    """Each part as one message, in order, until a reply offers choices.

    A confirmation ("cancel ORD-1? yes / no") must be answered from the mailbox the reply goes to, so a
    "yes" later in the same mail is not read as the answer to it.
    """
    result = Answer()
    choices = list(thread.choices)
    for index, part in enumerate(parts):
        if result.choices:
            result.held_back = len(parts) - index
            break
        text = chosen(part, choices) or part
        choices = []  # a number means the choices of our last mail only for the mail's first question
        collector = CollectingOutputChannel()
        metadata: Dict[str, Any] = {"channel": CHANNEL_NAME, SENDER_KEY: thread.customer_address, AUTHOR_KEY: author}
        if attachments and index == 0:
            # the files themselves were dropped; the first message names them for an agent who reads it
            metadata[dropped.METADATA_KEY] = dropped.as_metadata(attachments)
        await on_new_message(
            UserMessage(text, collector, thread.conversation_id, input_channel=CHANNEL_NAME, metadata=metadata)
        )
        result.paragraphs.extend(_paragraphs(collector.messages))
        for message in collector.messages:
            if message.get("buttons"):
                result.choices = choices_of(message["buttons"])
    return result
