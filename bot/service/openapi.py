"""The agent API described as OpenAPI 3.0, served at /api/openapi.json."""
from __future__ import annotations

from typing import Any, Dict, Optional

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

_ERROR = {"$ref": "#/components/schemas/Error"}
# ids are 32-bit on PostgreSQL; any other whole number (2^63, say) is simply no handoff: 404
_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "the handoff's id; outside 1 to 2147483647 there is none (404)",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}


def _body(properties: Dict[str, Any], required: list) -> Dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": properties, "required": required}
            }
        },
    }


def _operation(
    summary: str,
    ok: str,
    errors: Dict[str, str],
    body: Optional[Dict[str, Any]] = None,
    parameters: Optional[list] = None,
    public: bool = False,
    ok_status: str = "200",
    also_ok: Optional[Dict[str, str]] = None,
) -> Dict[str, Any]:
    responses: Dict[str, Any] = {ok_status: {"description": ok}}
    for status, description in (also_ok or {}).items():
        responses[status] = {"description": description}
    if not public:
        errors = {"401": "missing, unknown or expired token", **errors}
    if body:
        errors = {**errors, "413": _TOO_LARGE}
    for status, description in errors.items():
        responses[status] = {
            "description": description,
            "content": {"application/json": {"schema": _ERROR}},
        }
    operation: Dict[str, Any] = {"summary": summary, "responses": responses}
    if body:
        operation["requestBody"] = body
    if parameters:
        operation["parameters"] = parameters
    if public:
        operation["security"] = []
    return operation


_BAD = "malformed JSON, a missing field, or text that is not valid Unicode (a lone surrogate)"
_TOO_LARGE = "the request body is larger than 64 KiB"
_NOT_YOURS = "the chat is held by another agent (or nobody); only its holder or a supervisor may do this"
_TEXT = _body({"text": {"type": "string", "maxLength": 4000}}, ["text"])

SPEC: Dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Support agent API",
        "version": "1.0.0",
        "description": "Queue, chats, notes and status for human support agents. "
        "Every route except login needs `Authorization: Bearer <token>`; the event stream takes "
        "a one-time ticket from POST /api/stream/ticket instead. Agents have a role: `agent` writes "
        "only in chats they claimed, `supervisor` in any chat.",
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}},
                "required": ["error"],
            }
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/agents/login": {
            "post": _operation(
                "Log in; returns {token}",
                "a fresh token valid for 12 hours",
                {
                    "400": _BAD,
                    "401": "wrong username or password",
                    "429": "too many failed logins for this username (5) or from this address (20) "
                    "within 15 minutes; the Retry-After header gives the seconds to wait",
                },
                _body({"username": {"type": "string"}, "password": {"type": "string"}},
                      ["username", "password"]),
                public=True,
            )
        },
        "/api/agents/logout": {
            "post": _operation(
                "Invalidate the token; the event streams opened with it end at once", "logged out", {}
            )
        },
        "/api/agents/me": {
            "get": _operation(
                "The logged-in agent: id, username, display_name, role (agent or supervisor), "
                "status, max_concurrent_chats, active_chats",
                "agent and open chats",
                {},
            )
        },
        "/api/agents/me/status": {
            "post": _operation(
                "Set status online or away",
                "the new status",
                {"400": _BAD},
                _body({"status": {"type": "string", "enum": ["online", "away"]}}, ["status"]),
            )
        },
        "/api/handoffs": {
            "get": _operation(
                "Handoffs by status: id, conversation, channel, reason, created time, wait so far, "
                "queue position, assigned agent",
                "{handoffs: [...]}",
                {"400": "unknown status"},
                parameters=[
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["waiting", "active", "closing", "closed"]},
                    }
                ],
            )
        },
        "/api/handoffs/{id}": {
            "get": _operation(
                "Whole transcript (customer, bot, agent in order; the service's own lines with their "
                "delivery: pending, delivered or failed), notes, context card, and what is undelivered. "
                "A slow or unreachable Rasa gives history_available false, not an error",
                "{handoff, transcript, history_available, undelivered, notes, context}",
                {"404": "unknown handoff"},
                parameters=[_ID],
            )
        },
        "/api/handoffs/{id}/claim": {
            "post": _operation(
                "Take a waiting chat; exactly one agent succeeds",
                "{handoff}",
                {
                    "404": "unknown handoff",
                    "409": "already taken by another agent or closed",
                    "429": "the agent already has the most chats allowed",
                },
                parameters=[_ID],
            )
        },
        "/api/handoffs/{id}/messages": {
            "post": _operation(
                "Send a message to the customer. It is stored with its delivery state and goes out "
                "through the outbox: once, in order, retried while Rasa is slow or down",
                "{message} with delivery: delivered (Rasa confirmed it)",
                {"400": _BAD, "403": _NOT_YOURS, "404": "unknown handoff",
                 "409": "the chat is not active (waiting, closing or closed)",
                 "502": "Rasa refused the message; it is in the transcript as failed and was not sent"},
                _TEXT,
                [_ID],
                ok_status="201",
                also_ok={"202": "{message} with delivery: pending; Rasa has not confirmed it yet and "
                                "the service keeps trying (stream event message_delivery when it has)"},
            )
        },
        "/api/handoffs/{id}/notes": {
            "post": _operation(
                "Add an internal note (never shown to the customer)",
                "{note}",
                {"400": _BAD, "403": _NOT_YOURS, "404": "unknown handoff"},
                _TEXT,
                [_ID],
            )
        },
        "/api/handoffs/{id}/close": {
            "post": _operation(
                "Close the chat: resolved, or back_to_bot (the assistant takes over again). "
                "Idempotent: closing again with the same outcome returns the chat as it is",
                "{handoff} with status closed",
                {"400": _BAD, "403": _NOT_YOURS, "404": "unknown handoff",
                 "409": "the chat is waiting, or already closing or closed with the other outcome"},
                _body({"outcome": {"type": "string", "enum": ["resolved", "back_to_bot"]}},
                      ["outcome"]),
                [_ID],
                also_ok={"202": "{handoff} with status closing: Rasa has not confirmed the hand-back "
                                "yet; the service retries until it has (stream event handoff_closed), "
                                "or gives the chat back (handoff_close_failed) if Rasa refuses it"},
            )
        },
        "/api/stream/ticket": {
            "post": _operation(
                "A one-time ticket for opening the event stream, valid for 30 seconds",
                "{ticket, expires_in_seconds}",
                {},
                ok_status="201",
            )
        },
        "/api/stream": {
            "get": {
                **_operation(
                    "Server-sent events: ready, handoff_opened, handoff_claimed, handoff_closing, "
                    "handoff_closed, handoff_close_failed, message, message_delivery, note, "
                    "agent_status, and session_ended (reason logged_out or expired) "
                    "just before the stream closes. Open it with ?ticket= (EventSource sends no "
                    "headers) or with the Authorization header; ?token= is refused.",
                    "text/event-stream",
                    {},
                    parameters=[
                        {
                            "name": "ticket",
                            "in": "query",
                            "description": "from POST /api/stream/ticket; works once",
                            "schema": {"type": "string"},
                        }
                    ],
                ),
                "security": [{"bearer": []}, {}],
            }
        },
    },
}


def setup_openapi(app: Sanic) -> None:
    @app.get("/api/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        return json(SPEC)
