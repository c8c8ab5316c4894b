"""Talking to the running assistant the way the shop's backend does: Rasa's REST channel and its HTTP API."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional

import requests

from tests.support.stack import Stack

# The REST channel names the conversation of `sender` `rest-<sender>` (bot/rasa_server/channels/rest_token.py).
CONVERSATION_PREFIX = "rest-"


def new_sender(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}"


def conversation_of(sender: str) -> str:
    return CONVERSATION_PREFIX + sender


def say(stack: Stack, sender: str, text: str, language: Optional[str] = None) -> List[str]:
    """What the assistant answers, as the texts of its messages; `language` labels the message as the widget does."""
    body: Dict[str, Any] = {"sender": sender, "message": text}
    if language is not None:
        body["metadata"] = {"language": language}
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json=body,
        headers=stack.rest_headers,
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return [message.get("text", "") for message in response.json()]


def tracker(stack: Stack, sender: str, all_sessions: bool = True) -> Dict[str, Any]:
    response = requests.get(
        stack.tracker_url(conversation_of(sender)),
        params={"include_events": "ALL" if all_sessions else "AFTER_RESTART"},
        headers=stack.rasa_api_headers,
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def replace_events(stack: Stack, sender: str, events: List[Dict[str, Any]]) -> None:
    """Give a new conversation a history (with its own timestamps) through Rasa's API."""
    response = requests.put(
        f"{stack.tracker_url(conversation_of(sender))}/events",
        json=events,
        headers=stack.rasa_api_headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text


def append_events(stack: Stack, sender: str, events: List[Dict[str, Any]]) -> None:
    response = requests.post(
        f"{stack.tracker_url(conversation_of(sender))}/events",
        json=events,
        headers=stack.rasa_api_headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text


def events_after(events: List[Dict[str, Any]], index: int) -> List[str]:
    """The kinds of events from `index` on, with action names: ["action:action_listen", "user", ...]."""
    return [f"action:{event['name']}" if event["event"] == "action" else event["event"] for event in events[index:]]
