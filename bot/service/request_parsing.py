"""Reading request bodies strictly: anything malformed becomes a 400 with a message."""
from __future__ import annotations

from typing import Any, Dict, Optional

from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.handoff.errors import InvalidRequest


def json_object(request: Request) -> Dict[str, Any]:
    if not request.body:
        raise InvalidRequest("the request needs a JSON object body")
    try:
        body = request.json
    except InvalidUsage as error:
        raise InvalidRequest("the request body is not valid JSON") from error
    if not isinstance(body, dict):
        raise InvalidRequest("the request body must be a JSON object")
    return body


def _encodable(value: str, field: str) -> str:
    """JSON may spell a lone UTF-16 surrogate (`"\\ud800"`); no database or hash can take one."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidRequest(f"'{field}' is not valid Unicode text") from error
    return value


def required_text(body: Dict[str, Any], field: str, max_length: int = 4000) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"'{field}' is required and must be a non-empty string")
    if len(value) > max_length:
        raise InvalidRequest(f"'{field}' must be at most {max_length} characters long")
    return _encodable(value, field)


def optional_text(body: Dict[str, Any], field: str, max_length: int = 4000) -> Optional[str]:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"'{field}' must be a string")
    if len(value) > max_length:
        raise InvalidRequest(f"'{field}' must be at most {max_length} characters long")
    return _encodable(value, field)


def optional_mapping(body: Dict[str, Any], field: str) -> Dict[str, Any]:
    value = body.get(field)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequest(f"'{field}' must be a JSON object")
    return value


def required_int(body: Dict[str, Any], field: str) -> int:
    value = body.get(field)
    # bool is an int in Python, but `true` is not a rating
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidRequest(f"'{field}' is required and must be a whole number")
    try:
        return int(value)
    except ValueError as error:
        raise InvalidRequest(f"'{field}' must be a whole number") from error
