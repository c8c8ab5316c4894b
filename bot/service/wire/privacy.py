"""Wire models of the supervisor's privacy routes: export and erasure of one customer, the audit log."""

from __future__ import annotations

from typing import Any, Dict, List

from pydantic import Field, StrictStr, validator

from bot.service.wire.base import RequestModel, ResponseModel, filled_text, unicode_text


class CustomerRequest(RequestModel):
    """The customer, by the e-mail address their data is filed under."""

    email: StrictStr = Field(..., max_length=254, regex=r"^[^@\s]+@[^@\s]+$")

    _unicode = validator("email", allow_reuse=True)(unicode_text)
    _filled = validator("email", allow_reuse=True)(filled_text)


class CustomerExport(ResponseModel):
    """Everything stored about the customer, store by store."""

    email: str
    conversation_ids: List[str]
    stores: Dict[str, Any]


class CustomerErased(ResponseModel):
    """How many conversations were found, and how many rows or events each store changed."""

    conversations: int
    changed: Dict[str, int]


class RecordView(ResponseModel):
    agent_id: int
    customer: str
    what: str
    at: str


class AuditLog(ResponseModel):
    views: List[RecordView]
