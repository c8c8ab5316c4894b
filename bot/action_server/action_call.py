"""An action call's body, inflated and parsed once, by the request check, and handed to the route."""

from __future__ import annotations

import json
import zlib
from typing import Optional, cast

from rasa_sdk.types import ActionCall
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse


def parse_action_call(request: Request) -> Optional[ActionCall]:
    """The call, or None when the body is not a JSON object naming `next_action` (rasa-sdk checks neither)."""
    body = request.body or b""
    # rasa-sdk would inflate a deflated body itself; one that is not deflate data is no call
    if request.headers.get("Content-Encoding") == "deflate":
        try:
            body = zlib.decompress(body)
        except zlib.error:
            return None
    try:
        call = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
        return None
    if not isinstance(call, dict) or not isinstance(call.get("next_action"), str):
        return None
    # only `next_action` is checked here; rasa-sdk reads the rest as it finds it
    return cast(ActionCall, call)


def keep_action_call(request: Request) -> Optional[HTTPResponse]:
    """The request check: anything but a call is a clear 400; a call is kept for the route."""
    call = parse_action_call(request)
    if call is None:
        return not_an_action_call()
    request.ctx.action_call = call
    return None


def action_call_of(request: Request) -> Optional[ActionCall]:
    """The call the check kept; parsed and checked here only when the check did not run for this request."""
    kept: Optional[ActionCall] = getattr(request.ctx, "action_call", None)
    return kept if kept is not None else parse_action_call(request)


def not_an_action_call() -> HTTPResponse:
    return response.json({"error": "the body must be an action call (a JSON object)"}, status=400)
