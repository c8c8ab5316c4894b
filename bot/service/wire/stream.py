"""Wire models of the event stream's routes."""

from __future__ import annotations

from typing import Optional

from pydantic import Field, StrictStr

from bot.service.wire.base import RequestModel, ResponseModel


class StreamTicket(ResponseModel):
    """A one-time ticket that opens the event stream."""

    ticket: str
    expires_in_seconds: float


class StreamQuery(RequestModel):
    """How the event stream is opened from a browser, which cannot send headers."""

    ticket: Optional[StrictStr] = Field(None, description="from POST /api/stream/ticket; works once")
