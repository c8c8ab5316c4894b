"""Wire models of the supervisor's privacy routes: export and erasure of one customer, the audit log."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from pydantic import Field, StrictStr, root_validator, validator

from bot.service.privacy.phone import parsed_phone
from bot.service.wire.base import RequestModel, ResponseModel, filled_text, unicode_text


class CustomerRequest(RequestModel):
    """The customer, by the e-mail address or the phone number their data is filed under (one of them)."""

    email: Optional[StrictStr] = Field(None, max_length=254, regex=r"^[^@\s]+@[^@\s]+$")
    phone: Optional[StrictStr] = Field(
        None, max_length=40, description="international (+49 171 5550123), or with region"
    )
    region: Optional[StrictStr] = Field(None, regex=r"^[A-Za-z]{2}$", description="the country of a national number")

    _unicode = validator("email", "phone", allow_reuse=True)(unicode_text)
    _filled = validator("email", "phone", allow_reuse=True)(filled_text)

    @root_validator(skip_on_failure=True)
    def _one_of_email_or_phone(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        email, phone = values.get("email"), values.get("phone")
        if bool(email) == bool(phone):
            raise ValueError("give either an email or a phone")
        if phone:
            parsed_phone(phone, values.get("region"))  # a ValueError says what is wrong with it
        return values


class CustomerExport(ResponseModel):
    """Everything stored about the customer, store by store."""

    email: Optional[str]
    phone: Optional[str]
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
