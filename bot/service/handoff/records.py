"""Records and statuses of the handoff queue, as returned by the repositories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Mapping, Optional


class HandoffStatus(str, Enum):
    WAITING = "waiting"
    ACTIVE = "active"
    # the agent closed the chat; the closing notice and the hand-back to the bot are being delivered
    CLOSING = "closing"
    CLOSED = "closed"


class HandoffKind(str, Enum):
    """A live chat waits for an agent now; a ticket is a message left outside opening hours."""

    LIVE = "live"
    TICKET = "ticket"


class CloseOutcome(str, Enum):
    RESOLVED = "resolved"
    BACK_TO_BOT = "back_to_bot"


class AgentStatus(str, Enum):
    ONLINE = "online"
    AWAY = "away"


class AgentRole(str, Enum):
    """An agent writes only in the chats they claimed; a supervisor may step into any chat."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"


class DeliveryState(str, Enum):
    """Where a message to the customer is: stored and queued, confirmed by Rasa, or given up on."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class OutboxKind(str, Enum):
    """What an outbox entry asks of Rasa: a bot message, or resuming the bot at the end of a chat."""

    MESSAGE = "message"
    HAND_BACK = "hand_back"


class Sender(str, Enum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"


class ClaimResult(str, Enum):
    CLAIMED = "claimed"
    NOT_FOUND = "not_found"
    ALREADY_TAKEN = "already_taken"
    AGENT_AT_LIMIT = "agent_at_limit"


@dataclass(frozen=True)
class Agent:
    id: int
    username: str
    display_name: str
    status: AgentStatus
    max_concurrent_chats: int
    last_seen_at: Optional[datetime]
    role: AgentRole = AgentRole.AGENT


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    channel: Optional[str]
    reason: str
    kind: HandoffKind
    status: HandoffStatus
    created_at: datetime
    claimed_at: Optional[datetime]
    closed_at: Optional[datetime]
    agent_id: Optional[int]
    outcome: Optional[CloseOutcome]
    customer_email: Optional[str]
    customer_message: Optional[str]
    context: Mapping[str, Any] = field(default_factory=dict)
    # the queue position the customer was last told; a notice goes out only when it changes
    notified_position: Optional[int] = None
    # ISO 639-1 code of the customer's language, as the assistant detected it
    language: Optional[str] = None

    @property
    def customer_language(self) -> Optional[str]:
        """The language column, else the one the escalation request carried in the context."""
        carried = self.context.get("language")
        return self.language or (carried if isinstance(carried, str) else None)


@dataclass(frozen=True)
class TranscriptMessage:
    id: int
    handoff_id: int
    sender: Sender
    text: str
    created_at: datetime
    agent_id: Optional[int] = None
    # None for what the customer wrote; agent and bot lines go through the outbox
    delivery: Optional[DeliveryState] = None


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    handoff_id: int
    conversation_id: str
    kind: OutboxKind
    message_id: Optional[int]
    payload: Mapping[str, Any]
    delivery_key: str
    state: DeliveryState
    attempts: int
    maybe_received: bool
    next_attempt_at: datetime
    created_at: datetime
    last_error: Optional[str] = None


@dataclass(frozen=True)
class Note:
    id: int
    handoff_id: int
    agent_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Rating:
    id: int
    conversation_id: str
    handoff_id: Optional[int]
    agent_id: Optional[int]
    score: int
    comment: Optional[str]
    created_at: datetime
