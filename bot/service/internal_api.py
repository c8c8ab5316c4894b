"""Routes the action server calls (shared secret): open a handoff, leave a message, store a rating."""
from __future__ import annotations

from typing import Any, Dict, Tuple

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.handoff.desk import EscalationRequest
from bot.handoff.errors import InvalidRequest
from bot.service.auth import internal_required
from bot.service.request_parsing import (
    json_object,
    optional_mapping,
    optional_text,
    required_int,
    required_text,
)

internal_api = Blueprint("internal_api", url_prefix="/internal")


def _escalation(request: Request) -> Tuple[EscalationRequest, Dict[str, Any]]:
    body = json_object(request)
    intents = body.get("intents") or []
    if not isinstance(intents, list) or not all(isinstance(item, str) for item in intents):
        raise InvalidRequest("'intents' must be a list of intent names")
    escalation = EscalationRequest(
        conversation_id=required_text(body, "conversation_id", 255),
        channel=optional_text(body, "channel", 64),
        reason=(optional_text(body, "reason", 64) or "customer_request").strip() or "customer_request",
        context={"slots": optional_mapping(body, "slots"), "intents": intents[-20:]},
    )
    return escalation, body


@internal_api.post("/handoffs")
@internal_required
async def open_handoff(request: Request) -> HTTPResponse:
    escalation, _ = _escalation(request)
    return json(await request.app.ctx.desk.escalate(escalation), status=201)


@internal_api.post("/tickets")
@internal_required
async def leave_message(request: Request) -> HTTPResponse:
    escalation, body = _escalation(request)
    email = required_text(body, "email", 255)
    message = required_text(body, "message")
    handoff = await request.app.ctx.desk.leave_ticket(escalation, email, message)
    return json({"ticket_id": handoff.id}, status=201)


@internal_api.post("/ratings")
@internal_required
async def store_rating(request: Request) -> HTTPResponse:
    body = json_object(request)
    conversation_id = required_text(body, "conversation_id", 255)
    score = required_int(body, "rating")
    comment = optional_text(body, "comment")
    return json(await request.app.ctx.desk.rate(conversation_id, score, comment), status=201)


def setup_internal_api(app: Sanic) -> None:
    app.blueprint(internal_api)
