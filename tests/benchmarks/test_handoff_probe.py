"""The handoff probe's pieces: the live stream's events, its marker words and the texts it waits for."""

from __future__ import annotations

import re

import yaml

from benchmarks.handoff_agent import parse_event_block
from benchmarks.handoff_probe import QUEUED_TEXT, WELCOME_BACK_TEXT, marker_word
from bot.shared.privacy_masking import mask_private
from bot.shared.settings import PROJECT_ROOT


def test_an_event_block_gives_its_kind_and_data() -> None:
    block = 'event: message\ndata: {"handoff_id": 3, "message": {"sender": "customer", "text": "hi"}}'
    assert parse_event_block(block) == ("message", {"handoff_id": 3, "message": {"sender": "customer", "text": "hi"}})


def test_heartbeats_and_retry_lines_are_no_events() -> None:
    assert parse_event_block(": heartbeat") is None
    assert parse_event_block("retry: 1000") is None


def test_the_ready_event_has_empty_data() -> None:
    assert parse_event_block("retry: 1000\nevent: ready\ndata: {}") == ("ready", {})


def test_marker_words_are_letters_that_no_privacy_mask_changes() -> None:
    words = {marker_word() for _ in range(50)}
    assert len(words) == 50
    for word in words:
        assert re.fullmatch(r"[a-p]{10}", word)
        assert mask_private(f"one more question about {word}") == f"one more question about {word}"


def test_the_texts_the_probe_waits_for_are_the_assistants_english_responses() -> None:
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    assert QUEUED_TEXT in responses["utter_handoff_queued"][0]["text"]
    assert WELCOME_BACK_TEXT in responses["utter_handoff_welcome_back"][0]["text"]
