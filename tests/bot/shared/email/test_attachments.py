"""The dropped attachments a mail's first message carries, as an agent reads them, and what else its metadata may hold."""

from __future__ import annotations

from typing import Any

import pytest

from bot.service.handoff.broker_events import customer_message
from bot.service.handoff.tracker_history import read_history
from bot.shared.email.attachments import METADATA_KEY, NOTED_AT_MOST, agent_note, as_metadata, from_metadata
from bot.shared.email.inbound import DroppedAttachment

FILES = (DroppedAttachment("parcel.jpg", 3_355_443), DroppedAttachment("", 900), DroppedAttachment("a.pdf", 20_480))


def test_the_agent_reads_each_file_with_its_size() -> None:
    note = agent_note({METADATA_KEY: as_metadata(FILES)})
    assert note == "[Attachments not read: parcel.jpg (3.2 MB), unnamed file (900 B), a.pdf (20 KB)]"


def test_many_files_are_noted_up_to_the_limit() -> None:
    many = [DroppedAttachment(f"photo-{number}.jpg", 1) for number in range(NOTED_AT_MOST + 5)]
    assert len(from_metadata({METADATA_KEY: as_metadata(many)})) == NOTED_AT_MOST


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        "text",
        {},
        {METADATA_KEY: "x"},
        {METADATA_KEY: [1, None, {"filename": 3, "size": "big"}]},
        {METADATA_KEY: []},
    ],
)
def test_anything_else_in_the_metadata_notes_nothing(metadata: Any) -> None:
    assert agent_note(metadata) is None


def test_the_note_follows_the_customers_words_in_the_transcript_and_the_history() -> None:
    event = {
        "event": "user",
        "text": "my screen is cracked",
        "timestamp": 1_700_000_000.0,
        "sender_id": "email-1",
        "metadata": {METADATA_KEY: as_metadata(FILES[:1])},
    }
    expected = "my screen is cracked\n[Attachments not read: parcel.jpg (3.2 MB)]"
    message = customer_message(event)
    assert message is not None and message.text == expected
    assert read_history({"events": [event]}, None).messages[0]["text"] == expected
    bot_turn = dict(event, event="bot")
    assert read_history({"events": [bot_turn]}, None).messages[0]["text"] == "my screen is cracked"
