"""Base classes of the wire models: requests that are validated, responses that are only described."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Extra


def unicode_text(value: Optional[str]) -> Optional[str]:
    """JSON may spell a lone UTF-16 surrogate (`"\\ud800"`); no database or hash can take one."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError("is not valid Unicode text") from error
    return value


def filled_text(value: Optional[str]) -> Optional[str]:
    if value is not None and not value.strip():
        raise ValueError("must not be blank")
    return value


class RequestModel(BaseModel):
    """A request body or query; fields it does not know are ignored, as browsers' clients vary."""

    class Config:
        extra = Extra.ignore
        # a request is validated once, at the edge; nothing downstream may change it
        frozen = True


class ClosedRequestModel(RequestModel):
    """A request from our own processes: an unknown field is a mistake on the caller's side, so it is refused."""

    class Config:
        extra = Extra.forbid


class ResponseModel(BaseModel):
    """What a route answers; enums are sent as their values, as the console and the widget read them."""

    class Config:
        use_enum_values = True
        extra = Extra.forbid
