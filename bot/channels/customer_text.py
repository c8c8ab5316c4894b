"""What a customer types, as Rasa should read it: intents reserved for the system cannot be typed.

Rasa reads a message starting with `/` as an intent with entities. The web chat's buttons rely on that,
but `EXTERNAL_` intents are the bot service's (an agent handing a chat back), so a customer who types
`/EXTERNAL_handback` has it read as words instead.
"""
from __future__ import annotations

RESERVED_INTENT_PREFIXES = ("EXTERNAL_",)


def customer_text(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("/") and stripped[1:].lstrip().startswith(RESERVED_INTENT_PREFIXES):
        return stripped.lstrip("/ ")
    return text
