"""Turns a wire model into the HTTP response that carries it."""

from __future__ import annotations

from typing import Mapping, Optional

from sanic.response import HTTPResponse

from bot.service.wire.base import ResponseModel


def answer(model: ResponseModel, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> HTTPResponse:
    return HTTPResponse(model.json(), status=status, headers=dict(headers or {}), content_type="application/json")
