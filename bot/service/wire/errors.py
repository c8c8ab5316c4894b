"""Wire models of the error answers every route may give."""

from __future__ import annotations

from typing import List

from pydantic import Field

from bot.service.wire.base import ResponseModel


class ErrorAnswer(ResponseModel):
    """What went wrong, in a sentence."""

    error: str


class FieldError(ResponseModel):
    """A field of the request that is wrong, and how; the value itself is never repeated."""

    field: str = Field(..., description="dotted path of the field, or `body` for the request as a whole")
    problem: str


class InvalidRequestAnswer(ResponseModel):
    """The request did not fit its model (400)."""

    error: str
    fields: List[FieldError]


class RateLimitedAnswer(ResponseModel):
    """Too many requests; the Retry-After header says the same in whole seconds."""

    error: str
    retry_after_seconds: int
