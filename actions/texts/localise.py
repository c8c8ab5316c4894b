"""Puts the values an action passes to a response into the customer's language, as the `language` slot says."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk.interfaces import Tracker

from actions.texts.catalog import CATALOG
from actions.texts.patterns import rewrite
from bot.shared.languages import DEFAULT_LANGUAGE, spoken_or_default

LANGUAGE_SLOT = "language"
_ISO_639_1 = re.compile(r"[a-z]{2}")
# Keys of a dispatcher message that are Rasa's own, not values filled into the response.
_MESSAGE_KEYS = frozenset(
    {"response", "template", "buttons", "image", "elements", "attachment", "custom", "json_message"}
)


def language_of(tracker: Tracker) -> str:
    """The language to answer in: the slot when it names one the assistant speaks, else English."""
    return spoken_or_default(tracker.get_slot(LANGUAGE_SLOT))


def detected_language(tracker: Tracker) -> str:
    """The slot's code even for a language the assistant doesn't speak (an agent may), else English."""
    code = tracker.get_slot(LANGUAGE_SLOT)
    return code if isinstance(code, str) and _ISO_639_1.fullmatch(code) else DEFAULT_LANGUAGE


def localise(value: str, language: str) -> str:
    if language == DEFAULT_LANGUAGE:
        return value
    translated = CATALOG.get(value, {}).get(language)
    return translated if translated is not None else rewrite(value, language)


def localise_messages(messages: List[Dict[str, Any]], language: str) -> None:
    """Rewrites, in place, the text values of messages an action queued; names and numbers stay as they are."""
    if language == DEFAULT_LANGUAGE:
        return
    for message in messages:
        for key, value in list(message.items()):
            if key not in _MESSAGE_KEYS and isinstance(value, str):
                message[key] = localise(value, language)
