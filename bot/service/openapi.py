"""The OpenAPI 3.0 document, generated from the route contract and the wire models; served at /api/openapi.json."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Set, Type

from pydantic import BaseModel
from pydantic.schema import schema as models_schema
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.service.api_contract import PATH_PARAMETERS, ROUTES, Auth, Reply, Route
from bot.service.wire.errors import ErrorAnswer, InvalidRequestAnswer
from bot.shared.handoff_api import INTERNAL_SECRET_HEADER
from bot.shared.webchat.session_proof import PROOF_HEADER

REF_PREFIX = "#/components/schemas/"
_PARAMETER = re.compile(r"{([a-z_]+)}")
_TOO_LARGE = Reply(413, "the request body is larger than 64 KiB")
_UNAUTHORIZED = {
    Auth.BEARER: Reply(401, "missing, unknown or expired token"),
    Auth.BEARER_OR_TICKET: Reply(401, "missing, unknown or expired token or ticket; ?token= is refused"),
    Auth.HANDOFF_SECRET: Reply(401, f"missing or wrong {INTERNAL_SECRET_HEADER}, or HANDOFF_SECRET is not set"),
}
_SECURITY: Dict[Auth, List[Dict[str, List[str]]]] = {
    Auth.PUBLIC: [],
    Auth.BEARER: [{"bearer": []}],
    Auth.BEARER_OR_TICKET: [{"bearer": []}, {"streamTicket": []}],
    Auth.HANDOFF_SECRET: [{"handoffSecret": []}],
    Auth.SESSION_PROOF: [{"sessionProof": []}],
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "streamTicket": {"type": "apiKey", "in": "query", "name": "ticket"},
    "handoffSecret": {"type": "apiKey", "in": "header", "name": INTERNAL_SECRET_HEADER},
    "sessionProof": {"type": "apiKey", "in": "header", "name": PROOF_HEADER},
}
DESCRIPTION = (
    "Queue, chats, notes and status for human support agents, the internal routes the action server "
    "calls, and the web chat's JSON routes. Agent routes need `Authorization: Bearer <token>` from "
    "POST /api/agents/login; the event stream takes a one-time ticket from POST /api/stream/ticket instead. "
    "Agents have a role: `agent` writes only in chats they claimed, `supervisor` in any chat. "
    "A request that does not fit its schema gets 400 with the fields that are wrong."
)


def _ref(model: Type[BaseModel]) -> Dict[str, str]:
    return {"$ref": REF_PREFIX + model.__name__}


def _error_model(route: Route, reply: Reply) -> Type[BaseModel]:
    validated = route.body is not None or route.query is not None
    return InvalidRequestAnswer if reply.status == 400 and validated else ErrorAnswer


def _replies(route: Route) -> List[Reply]:
    replies = list(route.replies)
    listed = {reply.status for reply in replies}
    extra = [_UNAUTHORIZED.get(route.auth)]
    if route.body is not None:
        extra += [Reply(400, "the body does not fit its schema"), _TOO_LARGE]
    elif route.query is not None:
        extra.append(Reply(400, "the query does not fit its schema"))
    for reply in extra:
        if reply is not None and reply.status not in listed:
            replies.append(reply)
            listed.add(reply.status)
    return sorted(replies, key=lambda reply: reply.status)


def _response(route: Route, reply: Reply) -> Dict[str, Any]:
    models = reply.models or ((_error_model(route, reply),) if reply.status >= 400 else ())
    answer: Dict[str, Any] = {"description": reply.description}
    if models:
        schema = _ref(models[0]) if len(models) == 1 else {"oneOf": [_ref(model) for model in models]}
        answer["content"] = {reply.media_type: {"schema": schema}}
    elif reply.media_type != "application/json":
        answer["content"] = {reply.media_type: {"schema": {"type": "string"}}}
    return answer


def _parameters(route: Route, schemas: Dict[str, Any]) -> List[Dict[str, Any]]:
    parameters = [
        {"name": name, "in": "path", "required": True, **PATH_PARAMETERS[name]}
        for name in _PARAMETER.findall(route.path)
    ]
    if route.query is not None:
        query = schemas[route.query.__name__]
        required = set(query.get("required", ()))
        for name, schema in query["properties"].items():
            parameters.append({"name": name, "in": "query", "required": name in required, "schema": schema})
    return parameters


def _operation(route: Route, schemas: Dict[str, Any]) -> Dict[str, Any]:
    operation: Dict[str, Any] = {
        "summary": route.summary,
        "tags": [route.tag],
        "security": _SECURITY[route.auth],
        "responses": {str(reply.status): _response(route, reply) for reply in _replies(route)},
    }
    parameters = _parameters(route, schemas)
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(route.body)}}}
    return operation


def _models() -> List[Type[BaseModel]]:
    seen: Set[Type[BaseModel]] = {ErrorAnswer, InvalidRequestAnswer}
    for route in ROUTES:
        seen.update(model for model in (route.body, route.query) if model is not None)
        for reply in route.replies:
            seen.update(reply.models)
    return sorted(seen, key=lambda model: model.__name__)


def build_document() -> Dict[str, Any]:
    schemas: Dict[str, Any] = models_schema(_models(), ref_prefix=REF_PREFIX)["definitions"]
    paths: Dict[str, Dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method] = _operation(route, schemas)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Support assistant bot service API", "version": "1.1.0", "description": DESCRIPTION},
        "components": {"securitySchemes": SECURITY_SCHEMES, "schemas": schemas},
        "security": _SECURITY[Auth.BEARER],
        "paths": paths,
    }


def setup_openapi(app: Sanic) -> None:
    # built once: the document depends on code only
    document = build_document()

    @app.get("/api/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        return json(document)
