"""Wire models of the internal routes the action server calls: escalations, messages left and ratings."""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Union

from pydantic import Field, StrictStr, validator

from bot.service.handoff.escalation_mode import EscalationMode, OfflineReason
from bot.service.handoff.records import HandoffStatus
from bot.service.wire.base import ClosedRequestModel, ResponseModel, filled_text, unicode_text

DEFAULT_REASON = "customer_request"
# the context card shows the latest intents; older ones only make the stored context longer
KEPT_INTENTS = 20


class EscalationRequest(ClosedRequestModel):
    """A conversation the assistant hands to a person, with what it knew."""

    conversation_id: StrictStr = Field(..., max_length=255, pattern=r"\S")
    channel: Optional[StrictStr] = Field(None, max_length=64)
    reason: Optional[StrictStr] = Field(None, max_length=64, description=f"blank means {DEFAULT_REASON}")
    slots: Optional[Dict[str, Any]] = None
    intents: Optional[List[StrictStr]] = None
    language: Optional[StrictStr] = Field(
        None, max_length=8, regex=r"^[a-z]{2}$", description="ISO 639-1 code of the customer's language"
    )

    _unicode = validator("conversation_id", "channel", "reason", allow_reuse=True)(unicode_text)
    _filled = validator("conversation_id", allow_reuse=True)(filled_text)

    def reason_or_default(self) -> str:
        return (self.reason or "").strip() or DEFAULT_REASON

    def context(self) -> Dict[str, Any]:
        context: Dict[str, Any] = {"slots": dict(self.slots or {}), "intents": list(self.intents or [])[-KEPT_INTENTS:]}
        if self.language:
            context["language"] = self.language
        return context


class TicketRequest(EscalationRequest):
    """A message the customer left for the agents, with the email to answer it at."""

    email: StrictStr = Field(..., max_length=255, pattern=r"\S")
    message: StrictStr = Field(..., max_length=4000, pattern=r"\S")

    _ticket_unicode = validator("email", "message", allow_reuse=True)(unicode_text)
    _ticket_filled = validator("email", "message", allow_reuse=True)(filled_text)


class RatingRequest(ClosedRequestModel):
    """The customer's rating of the chat, 1 to 5, and what they added."""

    conversation_id: StrictStr = Field(..., max_length=255, pattern=r"\S")
    rating: int = Field(..., ge=1, le=5)
    comment: Optional[StrictStr] = Field(None, max_length=4000)

    _unicode = validator("conversation_id", "comment", allow_reuse=True)(unicode_text)
    _filled = validator("conversation_id", allow_reuse=True)(filled_text)

    @validator("rating", pre=True)
    def _whole_number(cls, value: object) -> object:  # noqa: N805 (pydantic passes the class)
        # the action server has sent ratings as text ("5"); `true` is an int in Python but not a rating
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("must be a whole number")
        return value


class LiveEscalation(ResponseModel):
    """The customer is in the queue for a person."""

    mode: Literal["live"] = "live"
    handoff_id: int
    status: HandoffStatus
    queue_position: Optional[int]
    expected_wait_seconds: Optional[int]
    expected_wait_text: str
    agents_online: int


class OfflineEscalation(ResponseModel):
    """Nobody can take the chat now; the customer is offered to leave a message."""

    mode: Literal["offline"] = "offline"
    offline_reason: Optional[OfflineReason]
    next_opening: Optional[str] = Field(..., description="ISO 8601 time with its UTC offset")
    reply_by: str
    agents_online: int


EscalationAnswer = Union[LiveEscalation, OfflineEscalation]


def escalation_answer(answer: Dict[str, Any]) -> EscalationAnswer:
    if answer.get("mode") == EscalationMode.LIVE.value:
        return LiveEscalation.parse_obj(answer)
    return OfflineEscalation.parse_obj(answer)


class TicketCreated(ResponseModel):
    """The ticket is in the agents' queue."""

    ticket_id: int


class RatingStored(ResponseModel):
    """The rating, stored against the conversation's last handoff (if any)."""

    id: int
    score: int
    handoff_id: Optional[int]
