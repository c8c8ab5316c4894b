"""Wire models of the agent API's handoff routes: the queue, one chat, its messages, notes and close."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from pydantic import Field, StrictStr, validator

from bot.service.handoff.records import CloseOutcome, DeliveryState, HandoffKind, HandoffStatus, OutboxKind
from bot.service.wire.agents import AgentView
from bot.service.wire.base import RequestModel, ResponseModel, filled_text, unicode_text

MAX_TEXT_LENGTH = 4000
ISO_TIME = "ISO 8601 time with its UTC offset"


class HandoffListQuery(RequestModel):
    """Which handoffs to list."""

    status: HandoffStatus = HandoffStatus.WAITING


class TextRequest(RequestModel):
    """A message to the customer, or an internal note."""

    text: StrictStr = Field(..., max_length=MAX_TEXT_LENGTH, pattern=r"\S")

    _unicode = validator("text", allow_reuse=True)(unicode_text)
    _filled = validator("text", allow_reuse=True)(filled_text)


class CloseRequest(RequestModel):
    """How the chat ends: resolved, or back to the assistant."""

    outcome: CloseOutcome


class HandoffSummary(ResponseModel):
    """One handoff in the queue: who, why, since when, and who holds it."""

    id: int
    conversation_id: str
    channel: Optional[str]
    reason: str
    kind: HandoffKind
    status: HandoffStatus
    created_at: str = Field(..., description=ISO_TIME)
    claimed_at: Optional[str] = Field(..., description=ISO_TIME)
    closed_at: Optional[str] = Field(..., description=ISO_TIME)
    wait_seconds: int
    queue_position: Optional[int]
    assigned_agent: Optional[AgentView]
    outcome: Optional[CloseOutcome]
    customer_email: Optional[str]
    customer_message: Optional[str]
    verified_email: Optional[str] = Field(None, description="the customer's address once the assistant verified it")
    labels: List[str] = Field(default_factory=list, description="the agents' labels on the conversation")
    language: Optional[str] = Field(None, description="ISO 639-1 code of the customer's language (en, es, fr, de, ...)")


class HandoffList(ResponseModel):
    """Handoffs of one status, oldest first."""

    handoffs: List[HandoffSummary]


class HandoffEnvelope(ResponseModel):
    """A handoff after a claim or a close."""

    handoff: HandoffSummary


class HandoffLine(ResponseModel):
    """A line of the handoff itself: the customer's, or one the service sends with its delivery state."""

    id: int
    sender: str
    text: str
    at: Optional[str] = Field(..., description=ISO_TIME)
    agent: Optional[str]
    source: str = Field(default="handoff", const=True)
    delivery: Optional[DeliveryState] = Field(..., description="none for the customer's own lines")


class AssistantLine(ResponseModel):
    """A line from the conversation with the assistant before the handoff, read from Rasa."""

    sender: str
    text: str
    at: Optional[str] = Field(..., description=ISO_TIME)
    agent: Optional[str]
    source: str = Field(default="assistant", const=True)


class MessageEnvelope(ResponseModel):
    """The agent's message as stored; `delivery` says whether Rasa confirmed it yet."""

    message: HandoffLine


class NoteView(ResponseModel):
    """An internal note, never shown to the customer."""

    id: int
    text: str
    at: Optional[str] = Field(..., description=ISO_TIME)
    agent: Optional[str]


class NoteEnvelope(ResponseModel):
    """The note as stored."""

    note: NoteView


class Undelivered(ResponseModel):
    """Something that has not reached the customer (yet), and why."""

    kind: OutboxKind
    state: DeliveryState
    message_id: Optional[int]
    attempts: int
    last_error: Optional[str]


class VerificationStanding(ResponseModel):
    """Failed verifications of the conversation's order number in the last 24 hours."""

    order_number: str
    failed_attempts: int
    counted_since: Optional[str] = Field(..., description=ISO_TIME)
    locked: bool
    locked_until: Optional[str] = Field(..., description=ISO_TIME)


class CustomerCard(ResponseModel):
    """Who the customer is, as far as the assistant verified it."""

    verified: bool
    customer_id: Any = None
    email: Optional[str]
    orders: Optional[List[Dict[str, Any]]] = Field(..., description="none when the store cannot answer")
    verification: Optional[VerificationStanding]


class ContextCard(ResponseModel):
    """What the assistant knew when it handed over."""

    reason: str
    channel: Optional[str]
    intents: List[str]
    slots: Dict[str, Any]
    customer: CustomerCard


class HandoffDetail(ResponseModel):
    """One handoff with its whole transcript, notes, what is undelivered and the context card."""

    handoff: HandoffSummary
    transcript: List[Union[HandoffLine, AssistantLine]]
    history_available: bool
    undelivered: List[Undelivered]
    notes: List[NoteView]
    context: ContextCard
