"""Reads a request's JSON body or query into its model, or raises MalformedRequest naming the fields."""

from __future__ import annotations

from typing import Any, Mapping, Type, TypeVar

from pydantic import ValidationError
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.service.wire.base import RequestModel
from bot.service.wire.problems import MalformedRequest, problems_of

M = TypeVar("M", bound=RequestModel)


def parse(model: Type[M], data: Mapping[str, Any]) -> M:
    try:
        return model.parse_obj(data)
    except ValidationError as error:
        raise MalformedRequest(problems_of(error)) from error


def parse_body(request: Request, model: Type[M]) -> M:
    if not request.body:
        raise MalformedRequest.of_body("the request needs a JSON object body")
    try:
        body = request.json
    except InvalidUsage as error:
        raise MalformedRequest.of_body("the request body is not valid JSON") from error
    if not isinstance(body, dict):
        raise MalformedRequest.of_body("the request body must be a JSON object")
    return parse(model, body)


def parse_query(request: Request, model: Type[M]) -> M:
    """A repeated query parameter counts once: its first value."""
    return parse(model, {name: request.args.get(name) for name in request.args})
