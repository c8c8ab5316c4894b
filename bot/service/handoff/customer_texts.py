"""What the handoff service itself says to a waiting or connected customer."""

from __future__ import annotations

from typing import Any, Dict

# The web chat widget shows a bot message carrying `custom: {"handoff": ...}` as a notice line.
AGENT_JOINED_EVENT = "agent_joined"
AGENT_LEFT_EVENT = "agent_left"


def agent_joined(agent_name: str) -> str:
    return f"{agent_name} from our support team has joined the chat."


def queue_position_changed(position: int) -> str:
    if position == 1:
        return "You're next in line; an agent will be with you shortly."
    return f"You're now number {position} in the queue."


def chat_closed(agent_name: str) -> str:
    return f"{agent_name} has closed this chat. Thanks for talking to us."


def handoff_notice(event: str, agent_name: str) -> Dict[str, Any]:
    """The custom payload sent beside a notice's text; channels without a widget keep only the text."""
    return {"handoff": {"event": event, "agent": agent_name}}
