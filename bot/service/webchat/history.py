"""A web chat conversation's visible transcript, read from the Rasa tracker so a reload shows it again."""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

import aiohttp

from bot.service.handoff.rasa_client import api_headers

EXTERNAL_MESSAGE_PREFIX = "EXTERNAL: "
# What the widget attaches to a button click so the transcript shows the title, not the payload.
DISPLAY_TEXT_KEY = "display_text"


class HistoryUnavailable(Exception):
    """The Rasa server could not be asked for the conversation."""


@dataclass(frozen=True)
class TranscriptEntry:
    sender: str  # "user" or "bot"
    text: str
    timestamp: float
    buttons: List[Dict[str, str]] = field(default_factory=list)
    quick_replies: List[Dict[str, str]] = field(default_factory=list)
    image: Optional[str] = None
    custom: Optional[Dict[str, Any]] = None

    def as_json(self) -> Dict[str, Any]:
        return asdict(self)


def transcript_from_events(events: List[Dict[str, Any]]) -> List[TranscriptEntry]:
    """What the customer saw and said, in order; internal triggers and empty events are left out."""
    transcript: List[TranscriptEntry] = []
    for event in events:
        if not isinstance(event, dict):
            continue
        entry = _user_entry(event) if event.get("event") == "user" else None
        if event.get("event") == "bot":
            entry = _bot_entry(event)
        if entry is not None:
            transcript.append(entry)
    return transcript


async def fetch_transcript(
    session: aiohttp.ClientSession, rasa_url: str, session_id: str, api_token: Optional[str] = None
) -> List[TranscriptEntry]:
    url = f"{rasa_url.rstrip('/')}/conversations/{session_id}/tracker"
    try:
        async with session.get(url, params={"include_events": "ALL"}, headers=api_headers(api_token)) as response:
            if response.status != 200:
                raise HistoryUnavailable(f"Rasa answered {response.status}")
            tracker = await response.json()
    # asyncio.TimeoutError is not the builtin TimeoutError before Python 3.11.
    except (aiohttp.ClientError, ValueError, TimeoutError, asyncio.TimeoutError) as error:
        raise HistoryUnavailable(str(error)) from error
    events = tracker.get("events") if isinstance(tracker, dict) else None
    return transcript_from_events(events if isinstance(events, list) else [])


def _user_entry(event: Dict[str, Any]) -> Optional[TranscriptEntry]:
    text = event.get("text")
    if not isinstance(text, str) or not text.strip() or text.startswith(EXTERNAL_MESSAGE_PREFIX):
        return None
    shown = _mapping(event.get("metadata")).get(DISPLAY_TEXT_KEY)
    if isinstance(shown, str) and shown.strip():
        text = shown
    return TranscriptEntry(sender="user", text=text, timestamp=_timestamp(event))


def _bot_entry(event: Dict[str, Any]) -> Optional[TranscriptEntry]:
    data = _mapping(event.get("data"))
    raw_text, raw_image, raw_custom = event.get("text"), data.get("image"), data.get("custom")
    text = raw_text if isinstance(raw_text, str) else ""
    image = raw_image if isinstance(raw_image, str) else None
    custom = raw_custom if isinstance(raw_custom, dict) else None
    buttons = _choices(data.get("buttons"))
    quick_replies = _choices(data.get("quick_replies"))
    if not (text.strip() or image or custom or buttons or quick_replies):
        return None
    return TranscriptEntry(
        sender="bot",
        text=text,
        timestamp=_timestamp(event),
        buttons=buttons,
        quick_replies=quick_replies,
        image=image,
        custom=custom,
    )


def _mapping(raw: Any) -> Dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _choices(raw: Any) -> List[Dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(choice.get("title", "")), "payload": str(choice.get("payload", ""))}
        for choice in raw
        if isinstance(choice, dict)
    ]


def _timestamp(event: Dict[str, Any]) -> float:
    value = event.get("timestamp")
    return float(value) if isinstance(value, (int, float)) else 0.0
