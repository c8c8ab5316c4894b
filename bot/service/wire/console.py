"""Wire models of the console's working routes: presence, typing, facts, canned responses, labels and search."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field, StrictBool, StrictStr, validator

from bot.service.presence import Activity
from bot.service.wire.base import RequestModel, ResponseModel, unicode_text

ISO_TIME = "ISO 8601 time with its UTC offset"


class PresenceRequest(RequestModel):
    """What the agent is doing in the chat now."""

    activity: Activity


class PresentAgent(ResponseModel):
    """Another agent who has the chat open."""

    agent_id: int
    display_name: str
    activity: Activity


class PresenceAnswer(ResponseModel):
    """The other agents who have this chat open now."""

    others: List[PresentAgent]


class CustomerTypingRequest(RequestModel):
    """Whether the customer is typing in the widget."""

    typing: StrictBool


class CustomerTypingAnswer(ResponseModel):
    """Whether an agent was told (the conversation is with a person)."""

    relayed: bool


class AgentTypingQuery(RequestModel):
    """What the widget shows now; the answer comes when that changes, or after about 20 seconds."""

    typing: Optional[StrictStr] = Field(None, description="'true' or 'false' (default)")

    def known(self) -> bool:
        return (self.typing or "").strip().lower() == "true"


class AgentTypingAnswer(ResponseModel):
    """Whether an agent is typing to the customer, and their name."""

    typing: bool
    agent: Optional[str]


class CustomerFactsView(ResponseModel):
    verified: bool
    name: Optional[str] = Field(..., description="from the store, only for a verified customer")
    email: Optional[str] = Field(..., description="verified, or the address a message was left with")


class OrderFactsView(ResponseModel):
    number: str
    status: Optional[str] = Field(..., description="none when the store has no such order")
    placed_at: Optional[str] = Field(..., description=ISO_TIME)
    carrier: Optional[str]
    tracking_number: Optional[str]
    tracking_url: Optional[str]
    shipment_status: Optional[str]


class EarlierChatView(ResponseModel):
    handoff_id: int
    created_at: str = Field(..., description=ISO_TIME)
    reason: str
    status: str
    outcome: Optional[str]
    notes: List[str] = Field(default_factory=list, description="agents' internal notes on that chat")
    rating: Optional[int] = Field(None, description="the customer's rating of that chat, 1 to 5")
    rating_comment: Optional[str]


class ChatFactsView(ResponseModel):
    """The context card's facts: the customer, their language, the order in question, earlier chats."""

    customer: CustomerFactsView
    language: Optional[str]
    order: Optional[OrderFactsView]
    failed_verifications: int
    earlier_chats: List[EarlierChatView]
    labels: List[str]


class CannedResponsesQuery(RequestModel):
    """The customer's language (ISO 639-1); English when there are no replies in it."""

    language: Optional[StrictStr] = Field(None, max_length=35)


class CannedResponseView(ResponseModel):
    shortcut: str
    title: str
    text: str = Field(..., description="may hold {first_name} and {order_number}, filled in by the console")


class CannedResponses(ResponseModel):
    """Saved replies in one language."""

    language: str
    languages: List[str]
    variables: List[str]
    responses: List[CannedResponseView]


class LabelsRequest(RequestModel):
    """The conversation's whole set of labels; it replaces the one before."""

    labels: List[StrictStr] = Field(..., max_items=10)

    _unicode = validator("labels", each_item=True, allow_reuse=True)(unicode_text)


class LabelsAnswer(ResponseModel):
    """The labels as stored: lower case, each once."""

    labels: List[str]


class KnownLabels(ResponseModel):
    """Labels in use, for suggestions."""

    labels: List[str]


class SearchQuery(RequestModel):
    """A customer's e-mail, an order number or words said."""

    q: StrictStr = Field(..., min_length=2, max_length=200)

    _unicode = validator("q", allow_reuse=True)(unicode_text)


class SearchHitView(ResponseModel):
    handoff_id: int
    conversation_id: str
    channel: Optional[str]
    status: str
    reason: str
    created_at: str = Field(..., description=ISO_TIME)
    closed_at: Optional[str] = Field(..., description=ISO_TIME)
    customer_email: Optional[str]
    order_number: Optional[str]
    matched: str = Field(..., description="customer, order or text")
    snippet: Optional[str]


class SearchAnswer(ResponseModel):
    """Conversations that match, newest first (at most 20)."""

    results: List[SearchHitView]
