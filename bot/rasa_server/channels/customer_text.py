"""What a customer types, as Rasa should read it: at most 2,000 characters, and no intent reserved for the system.

Every input channel passes the customer's text through `customer_text` (by `CustomerChannel.customer_message`,
or `guarded` where Rasa's own connector builds the message), so every channel reads at most MAX_MESSAGE_LENGTH characters of a message. REST and web chat
refuse a longer message, since they can tell the sender; a platform's webhook cannot, so its message is
read up to the limit.

Rasa reads a message starting with `/` as an intent with entities. The web chat's buttons rely on that,
but `EXTERNAL_` intents are the bot service's (an agent handing a chat back), so a customer who types
`/EXTERNAL_handback` has it read as words instead.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

RESERVED_INTENT_PREFIXES = ("EXTERNAL_",)
MAX_MESSAGE_LENGTH = 2000


def customer_text(text: str) -> str:
    text = text[:MAX_MESSAGE_LENGTH]
    stripped = text.lstrip()
    if stripped.startswith("/") and stripped[1:].lstrip().startswith(RESERVED_INTENT_PREFIXES):
        return stripped.lstrip("/ ")
    return text


def guarded(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """`on_new_message` as a channel's blueprint gets it, reading every customer's text through `customer_text`."""

    async def handle(message: UserMessage) -> Any:
        if isinstance(message.text, str):
            message.text = customer_text(message.text)
        return await on_new_message(message)

    return handle
