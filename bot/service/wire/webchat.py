"""Wire models of the web chat's routes: a conversation's history, presence while queued, the demo sign-in."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from pydantic import Field, StrictBool, StrictStr, validator

from bot.service.wire.base import RequestModel, ResponseModel, unicode_text


class Choice(ResponseModel):
    """A button or quick reply the assistant offered."""

    title: str
    payload: str


class HistoryEntry(ResponseModel):
    """One line the customer saw or said."""

    sender: str = Field(..., description="user or bot")
    text: str
    timestamp: float = Field(..., description="seconds since the epoch, as Rasa stores it")
    buttons: List[Choice] = []
    quick_replies: List[Choice] = []
    image: Optional[str] = None
    custom: Optional[Dict[str, Any]] = None


class History(ResponseModel):
    """The visible transcript of a web chat session, oldest first."""

    session_id: str
    messages: List[HistoryEntry]


class DemoTokenRequest(RequestModel):
    """The demo customer to sign in as."""

    email: StrictStr = Field(..., max_length=255)

    _unicode = validator("email", allow_reuse=True)(unicode_text)


class DemoToken(ResponseModel):
    """A signed shopper token for the widget."""

    token: str
    email: str


class ChatPresenceRequest(RequestModel):
    """The widget's sign of life while its customer waits for a person: still here, or the chat was closed."""

    here: StrictBool = Field(..., description="true every 30 seconds while the page is open; false when it goes away")


class ChatPresenceAnswer(ResponseModel):
    """Whether it was kept: only a live chat waiting in the queue keeps it."""

    recorded: bool
