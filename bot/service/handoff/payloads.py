"""The agent API's wire models built from the handoff records, and their plain-JSON forms.

The plain forms (`handoff_summary`, `message_view`, ...) are what the live updates and the
conversation view carry; they come from the models, so a shape has one definition.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Optional, Sequence

from bot.service.handoff.records import Agent, DeliveryState, Handoff, Note, Sender, TranscriptMessage
from bot.service.wire.agents import AgentView
from bot.service.wire.handoffs import HandoffLine, HandoffSummary, NoteView


def iso(moment: Optional[datetime]) -> Optional[str]:
    return None if moment is None else moment.isoformat()


def verified_email_of(handoff: Handoff) -> Optional[str]:
    """What the console titles a chat with; an address the customer merely typed is not proof of who they are."""
    slots = handoff.context.get("slots") or {}
    if not isinstance(slots, dict) or not slots.get("verified"):
        return None
    email = slots.get("verified_email") or slots.get("email")
    return str(email) if email else None


def summary_of(
    handoff: Handoff,
    queue_position: Optional[int],
    agent: Optional[Agent],
    now: datetime,
    labels: Sequence[str] = (),
) -> HandoffSummary:
    waited_until = handoff.claimed_at or handoff.closed_at or now
    return HandoffSummary(
        id=handoff.id,
        conversation_id=handoff.conversation_id,
        channel=handoff.channel,
        reason=handoff.reason,
        kind=handoff.kind,
        status=handoff.status,
        created_at=handoff.created_at.isoformat(),
        claimed_at=iso(handoff.claimed_at),
        closed_at=iso(handoff.closed_at),
        wait_seconds=max(0, int((waited_until - handoff.created_at).total_seconds())),
        queue_position=queue_position,
        assigned_agent=agent_of(agent) if agent else None,
        outcome=handoff.outcome,
        customer_email=handoff.customer_email,
        customer_message=handoff.customer_message,
        verified_email=verified_email_of(handoff),
        labels=list(labels),
        language=handoff.customer_language,
    )


def agent_of(agent: Agent) -> AgentView:
    return AgentView(
        id=agent.id,
        username=agent.username,
        display_name=agent.display_name,
        role=agent.role,
        status=agent.status,
        max_concurrent_chats=agent.max_concurrent_chats,
    )


def delivery_of(message: TranscriptMessage) -> Optional[DeliveryState]:
    """None for the customer's own lines; lines stored before the outbox existed were all delivered."""
    if message.sender is Sender.CUSTOMER:
        return None
    return message.delivery or DeliveryState.DELIVERED


def line_of(message: TranscriptMessage, agent_name: Optional[str] = None) -> HandoffLine:
    return HandoffLine(
        id=message.id,
        sender=message.sender.value,
        text=message.text,
        at=iso(message.created_at),
        agent=agent_name,
        delivery=delivery_of(message),
    )


def note_of(note: Note, agent_name: Optional[str]) -> NoteView:
    return NoteView(id=note.id, text=note.text, at=iso(note.created_at), agent=agent_name)


def handoff_summary(
    handoff: Handoff,
    queue_position: Optional[int],
    agent: Optional[Agent],
    now: datetime,
    labels: Sequence[str] = (),
) -> Dict[str, Any]:
    return summary_of(handoff, queue_position, agent, now, labels).dict()


def agent_view(agent: Agent) -> Dict[str, Any]:
    return agent_of(agent).dict()


def message_view(message: TranscriptMessage, agent_name: Optional[str] = None) -> Dict[str, Any]:
    return line_of(message, agent_name).dict()


def note_view(note: Note, agent_name: Optional[str]) -> Dict[str, Any]:
    return note_of(note, agent_name).dict()
