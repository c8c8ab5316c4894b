"""JSON shapes the agent API returns for handoffs, messages and notes."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Optional

from bot.handoff.models import Agent, DeliveryState, Handoff, Note, Sender, TranscriptMessage


def iso(moment: Optional[datetime]) -> Optional[str]:
    return None if moment is None else moment.isoformat()


def handoff_summary(
    handoff: Handoff,
    queue_position: Optional[int],
    agent: Optional[Agent],
    now: datetime,
) -> Dict[str, Any]:
    waited_until = handoff.claimed_at or handoff.closed_at or now
    return {
        "id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "channel": handoff.channel,
        "reason": handoff.reason,
        "kind": handoff.kind.value,
        "status": handoff.status.value,
        "created_at": iso(handoff.created_at),
        "claimed_at": iso(handoff.claimed_at),
        "closed_at": iso(handoff.closed_at),
        "wait_seconds": max(0, int((waited_until - handoff.created_at).total_seconds())),
        "queue_position": queue_position,
        "assigned_agent": agent_view(agent) if agent else None,
        "outcome": handoff.outcome.value if handoff.outcome else None,
        "customer_email": handoff.customer_email,
        "customer_message": handoff.customer_message,
    }


def agent_view(agent: Agent) -> Dict[str, Any]:
    return {
        "id": agent.id,
        "username": agent.username,
        "display_name": agent.display_name,
        "role": agent.role.value,
        "status": agent.status.value,
        "max_concurrent_chats": agent.max_concurrent_chats,
    }


def delivery_of(message: TranscriptMessage) -> Optional[str]:
    """None for the customer's own lines; lines stored before the outbox existed were all delivered."""
    if message.sender is Sender.CUSTOMER:
        return None
    return (message.delivery or DeliveryState.DELIVERED).value


def message_view(message: TranscriptMessage, agent_name: Optional[str] = None) -> Dict[str, Any]:
    return {
        "id": message.id,
        "sender": message.sender.value,
        "text": message.text,
        "at": iso(message.created_at),
        "agent": agent_name,
        "source": "handoff",
        "delivery": delivery_of(message),
    }


def note_view(note: Note, agent_name: Optional[str]) -> Dict[str, Any]:
    return {"id": note.id, "text": note.text, "at": iso(note.created_at), "agent": agent_name}
