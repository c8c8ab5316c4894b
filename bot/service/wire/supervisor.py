"""Wire models of the supervisor's routes: the desk at a glance (live chats, agents' load) and a transfer."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field, StrictStr, conint, validator

from bot.service.handoff.records import AgentRole, AgentStatus
from bot.service.wire.base import RequestModel, ResponseModel, filled_text, unicode_text
from bot.service.wire.handoffs import HandoffSummary

MAX_NOTE_LENGTH = 1000


class TransferRequest(RequestModel):
    """`to_agent_id` null (or left out) puts the chat back in the queue; the note is for whoever takes it."""

    to_agent_id: Optional[conint(strict=True, ge=1, le=2**31 - 1)] = None  # type: ignore[valid-type]
    note: StrictStr = Field(..., max_length=MAX_NOTE_LENGTH, pattern=r"\S")

    _unicode = validator("note", allow_reuse=True)(unicode_text)
    _filled = validator("note", allow_reuse=True)(filled_text)


class AgentLoad(ResponseModel):
    """An agent as the supervisor sees them: whether they take chats now, and how many they hold."""

    id: int
    display_name: str
    role: AgentRole
    status: AgentStatus
    online: bool = Field(..., description="status online and seen within the last 90 seconds")
    active_chats: int
    max_concurrent_chats: int


class DeskOverview(ResponseModel):
    """Every live chat waiting or being handled, oldest first, and every agent."""

    chats: List[HandoffSummary]
    agents: List[AgentLoad]


class TransferAnswer(ResponseModel):
    """The chat after the transfer."""

    handoff: HandoffSummary
