"""Routes the action server calls (shared secret): open a handoff, leave a message, store a rating."""

from __future__ import annotations

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import internal_required
from bot.service.handoff.desk import EscalationRequest as Escalation
from bot.service.wire.internal import (
    EscalationRequest,
    RatingRequest,
    RatingStored,
    TicketCreated,
    TicketRequest,
    escalation_answer,
)
from bot.service.wire.parsing import parse_body
from bot.service.wire.responses import answer

internal_api = Blueprint("internal_api", url_prefix="/internal")


def _escalation(body: EscalationRequest) -> Escalation:
    return Escalation(
        conversation_id=body.conversation_id,
        channel=body.channel,
        reason=body.reason_or_default(),
        context=body.context(),
    )


@internal_api.post("/handoffs")
@internal_required
async def open_handoff(request: Request) -> HTTPResponse:
    escalation = _escalation(parse_body(request, EscalationRequest))
    return answer(escalation_answer(await request.app.ctx.desk.escalate(escalation)), status=201)


@internal_api.post("/tickets")
@internal_required
async def leave_message(request: Request) -> HTTPResponse:
    body = parse_body(request, TicketRequest)
    handoff = await request.app.ctx.desk.leave_ticket(_escalation(body), body.email, body.message)
    return answer(TicketCreated(ticket_id=handoff.id), status=201)


@internal_api.post("/ratings")
@internal_required
async def store_rating(request: Request) -> HTTPResponse:
    body = parse_body(request, RatingRequest)
    stored = await request.app.ctx.desk.rate(body.conversation_id, body.rating, body.comment)
    return answer(RatingStored.parse_obj(stored), status=201)


def setup_internal_api(app: Sanic) -> None:
    app.blueprint(internal_api)
