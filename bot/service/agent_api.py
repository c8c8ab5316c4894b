"""The agent API under /api: login, queue, claim, chat, notes, close and agent status."""

from __future__ import annotations

import asyncio
from typing import Optional

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import agent_required
from bot.service.handoff.conversation_view import handoff_detail
from bot.service.handoff.errors import Unauthorized, UpstreamRejected
from bot.service.handoff.payloads import agent_of
from bot.service.handoff.records import DeliveryState, HandoffStatus
from bot.service.login_throttle import LoginThrottle, client_address, limiters_in_redis
from bot.service.wire.agents import (
    AgentWithChats,
    LoginAnswer,
    LoginRequest,
    LogoutAnswer,
    StatusAnswer,
    StatusRequest,
)
from bot.service.wire.handoffs import (
    CloseRequest,
    HandoffDetail,
    HandoffEnvelope,
    HandoffList,
    HandoffListQuery,
    MessageEnvelope,
    NoteEnvelope,
    TextRequest,
)
from bot.service.wire.parsing import parse_body, parse_query
from bot.service.wire.responses import answer
from bot.shared.settings import Settings

agent_api = Blueprint("agent_api", url_prefix="/api")


@agent_api.post("/agents/login")
async def log_in(request: Request) -> HTTPResponse:
    body = parse_body(request, LoginRequest)
    username = body.username.strip()
    throttle: LoginThrottle = request.app.ctx.login_throttle
    address = client_address(request)
    throttle.attempt(username, address)
    desk = request.app.ctx.desk
    token = await asyncio.to_thread(desk.agents.log_in, username, body.password)
    if token is None:
        raise Unauthorized("wrong username or password")
    throttle.succeeded(username, address)
    return answer(LoginAnswer(token=token))


@agent_api.post("/agents/logout")
@agent_required()
async def log_out(request: Request) -> HTTPResponse:
    await asyncio.to_thread(request.app.ctx.desk.agents.log_out, request.ctx.token)
    # the consoles' event streams opened with this token close now, not at their next heartbeat
    request.app.ctx.stream_sessions.end(request.ctx.token)
    return answer(LogoutAnswer(logged_out=True))


@agent_api.get("/agents/me")
@agent_required()
async def who_am_i(request: Request) -> HTTPResponse:
    desk = request.app.ctx.desk
    agent = request.ctx.agent
    active = await asyncio.to_thread(desk.agents.active_chat_count, agent.id)
    return answer(AgentWithChats(**agent_of(agent).dict(), active_chats=active))


@agent_api.post("/agents/me/status")
@agent_required()
async def set_status(request: Request) -> HTTPResponse:
    status = parse_body(request, StatusRequest).status
    desk = request.app.ctx.desk
    await asyncio.to_thread(desk.agents.set_status, request.ctx.agent.id, status)
    desk.live.publish("agent_status", agent_id=request.ctx.agent.id, status=status.value)
    return answer(StatusAnswer(status=status))


@agent_api.get("/handoffs")
@agent_required()
async def list_handoffs(request: Request) -> HTTPResponse:
    status = parse_query(request, HandoffListQuery).status
    return answer(HandoffList(handoffs=await request.app.ctx.desk.list(status)))


@agent_api.get("/handoffs/<handoff_id:int>")
@agent_required()
async def get_handoff(request: Request, handoff_id: int) -> HTTPResponse:
    return answer(HandoffDetail.parse_obj(await handoff_detail(request.app.ctx.desk, handoff_id)))


@agent_api.post("/handoffs/<handoff_id:int>/claim")
@agent_required()
async def claim(request: Request, handoff_id: int) -> HTTPResponse:
    desk = request.app.ctx.desk
    handoff = await desk.claim(handoff_id, request.ctx.agent)
    return answer(HandoffEnvelope(handoff=await desk.summary(handoff)))


@agent_api.post("/handoffs/<handoff_id:int>/messages")
@agent_required()
async def send_message(request: Request, handoff_id: int) -> HTTPResponse:
    text = parse_body(request, TextRequest).text
    sent = MessageEnvelope(message=await request.app.ctx.desk.relay_agent_message(handoff_id, request.ctx.agent, text))
    if sent.message.delivery == DeliveryState.FAILED.value:
        raise UpstreamRejected("the assistant refused this message; it was not delivered (see the transcript)")
    # 202: stored and queued; Rasa did not confirm it yet and the service keeps trying
    return answer(sent, status=201 if sent.message.delivery == DeliveryState.DELIVERED.value else 202)


@agent_api.post("/handoffs/<handoff_id:int>/notes")
@agent_required()
async def add_note(request: Request, handoff_id: int) -> HTTPResponse:
    text = parse_body(request, TextRequest).text
    note = await request.app.ctx.desk.add_note(handoff_id, request.ctx.agent, text)
    return answer(NoteEnvelope(note=note), status=201)


@agent_api.post("/handoffs/<handoff_id:int>/close")
@agent_required()
async def close(request: Request, handoff_id: int) -> HTTPResponse:
    outcome = parse_body(request, CloseRequest).outcome
    desk = request.app.ctx.desk
    handoff = await desk.close(handoff_id, request.ctx.agent, outcome)
    closed = HandoffEnvelope(handoff=await desk.summary(handoff))
    # 202: the close is under way (status `closing`); the service finishes it when Rasa answers
    return answer(closed, status=200 if handoff.status is HandoffStatus.CLOSED else 202)


def setup_agent_api(app: Sanic, settings: Optional[Settings] = None) -> None:
    """With REDIS_URL set, failed logins are counted across every bot-service process of the deployment."""
    redis_url = settings.redis_url if settings else None
    shared = limiters_in_redis(redis_url, settings.redis_key_prefix) if redis_url and settings else None
    app.ctx.login_throttle = LoginThrottle(limiters=shared)
    app.blueprint(agent_api)
