"""Conversation ids in the Rasa API's URLs: one path segment that Rasa reads back as the same id."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from bot.handoff.rasa_client import quote_conversation_id

CHANNEL_IDS = [
    "whatsapp:+4915112345678",
    "+4915112345678",
    "slack:T123:C456:U789",
    "3f2a9c1e-web-session",
    "name@example.com",
]


@pytest.mark.parametrize("conversation_id", CHANNEL_IDS)
def test_ids_the_channels_use_go_into_the_url_as_they_are(conversation_id: str) -> None:
    # Rasa's Sanic would keep `%2B` and `%3A` escaped and look up a conversation nobody has.
    assert quote_conversation_id(conversation_id) == conversation_id


@pytest.mark.parametrize(
    "conversation_id", ["a/b", "../tracker", "who?me", "tag#1", "two words", "100%", "jürgen", "a\nb"]
)
def test_anything_else_stays_inside_one_path_segment(conversation_id: str) -> None:
    quoted = quote_conversation_id(conversation_id)

    url = urlsplit(f"http://127.0.0.1:5005/conversations/{quoted}/tracker")

    assert url.path.split("/")[2] == quoted
    assert (url.query, url.fragment) == ("", "")
    assert unquote(quoted) == conversation_id
