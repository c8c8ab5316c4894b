"""The agent API under /api: login, queue, claim, chat, notes, close and agent status."""
from __future__ import annotations

import asyncio
from enum import Enum
from typing import Type, TypeVar

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.handoff.conversation_view import handoff_detail
from bot.handoff.errors import InvalidRequest, Unauthorized, UpstreamRejected
from bot.handoff.models import AgentStatus, CloseOutcome, DeliveryState, HandoffStatus
from bot.handoff.views import agent_view
from bot.service.auth import agent_required
from bot.service.login_throttle import LoginThrottle, client_address
from bot.service.request_parsing import json_object, required_text

agent_api = Blueprint("agent_api", url_prefix="/api")
E = TypeVar("E", bound=Enum)


def _choice(enum_type: Type[E], value: object, field: str) -> E:
    allowed = [member.value for member in enum_type]
    if value not in allowed:
        raise InvalidRequest(f"'{field}' must be one of: {', '.join(allowed)}")
    return enum_type(value)


@agent_api.post("/agents/login")
async def log_in(request: Request) -> HTTPResponse:
    body = json_object(request)
    username = required_text(body, "username", 80).strip()
    password = required_text(body, "password", 200)
    throttle: LoginThrottle = request.app.ctx.login_throttle
    address = client_address(request)
    throttle.attempt(username, address)
    desk = request.app.ctx.desk
    token = await asyncio.to_thread(desk.agents.log_in, username, password)
    if token is None:
        raise Unauthorized("wrong username or password")
    throttle.succeeded(username, address)
    return json({"token": token})


@agent_api.post("/agents/logout")
@agent_required()
async def log_out(request: Request) -> HTTPResponse:
    await asyncio.to_thread(request.app.ctx.desk.agents.log_out, request.ctx.token)
    # the consoles' event streams opened with this token close now, not at their next heartbeat
    request.app.ctx.stream_sessions.end(request.ctx.token)
    return json({"logged_out": True})


@agent_api.get("/agents/me")
@agent_required()
async def who_am_i(request: Request) -> HTTPResponse:
    desk = request.app.ctx.desk
    agent = request.ctx.agent
    active = await asyncio.to_thread(desk.agents.active_chat_count, agent.id)
    return json({**agent_view(agent), "active_chats": active})


@agent_api.post("/agents/me/status")
@agent_required()
async def set_status(request: Request) -> HTTPResponse:
    status = _choice(AgentStatus, json_object(request).get("status"), "status")
    desk = request.app.ctx.desk
    await asyncio.to_thread(desk.agents.set_status, request.ctx.agent.id, status)
    desk.live.publish("agent_status", agent_id=request.ctx.agent.id, status=status.value)
    return json({"status": status.value})


@agent_api.get("/handoffs")
@agent_required()
async def list_handoffs(request: Request) -> HTTPResponse:
    status = _choice(HandoffStatus, request.args.get("status", "waiting"), "status")
    return json({"handoffs": await request.app.ctx.desk.list(status)})


@agent_api.get("/handoffs/<handoff_id:int>")
@agent_required()
async def get_handoff(request: Request, handoff_id: int) -> HTTPResponse:
    return json(await handoff_detail(request.app.ctx.desk, handoff_id))


@agent_api.post("/handoffs/<handoff_id:int>/claim")
@agent_required()
async def claim(request: Request, handoff_id: int) -> HTTPResponse:
    desk = request.app.ctx.desk
    handoff = await desk.claim(handoff_id, request.ctx.agent)
    return json({"handoff": await desk.summary(handoff)})


@agent_api.post("/handoffs/<handoff_id:int>/messages")
@agent_required()
async def send_message(request: Request, handoff_id: int) -> HTTPResponse:
    text = required_text(json_object(request), "text")
    message = await request.app.ctx.desk.relay_agent_message(handoff_id, request.ctx.agent, text)
    if message["delivery"] == DeliveryState.FAILED.value:
        raise UpstreamRejected("the assistant refused this message; it was not delivered (see the transcript)")
    # 202: stored and queued; Rasa did not confirm it yet and the service keeps trying
    return json({"message": message}, status=201 if message["delivery"] == DeliveryState.DELIVERED.value else 202)


@agent_api.post("/handoffs/<handoff_id:int>/notes")
@agent_required()
async def add_note(request: Request, handoff_id: int) -> HTTPResponse:
    text = required_text(json_object(request), "text")
    note = await request.app.ctx.desk.add_note(handoff_id, request.ctx.agent, text)
    return json({"note": note}, status=201)


@agent_api.post("/handoffs/<handoff_id:int>/close")
@agent_required()
async def close(request: Request, handoff_id: int) -> HTTPResponse:
    outcome = _choice(CloseOutcome, json_object(request).get("outcome"), "outcome")
    desk = request.app.ctx.desk
    handoff = await desk.close(handoff_id, request.ctx.agent, outcome)
    # 202: the close is under way (status `closing`); the service finishes it when Rasa answers
    return json({"handoff": await desk.summary(handoff)}, status=200 if handoff.status is HandoffStatus.CLOSED else 202)


def setup_agent_api(app: Sanic) -> None:
    app.ctx.login_throttle = LoginThrottle()
    app.blueprint(agent_api)
