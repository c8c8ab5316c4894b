"""The supervisor's desk routes: every live chat and agent at a glance, and moving a chat to someone else."""

from __future__ import annotations

import asyncio
from typing import Dict, List

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.handoff.agent_repository import PRESENCE_TIMEOUT
from bot.service.handoff.errors import NotFound
from bot.service.handoff.records import AgentStatus, HandoffStatus
from bot.service.supervisor_auth import supervisor_required
from bot.service.wire.parsing import parse_body
from bot.service.wire.responses import answer
from bot.service.wire.supervisor import AgentLoad, DeskOverview, TransferAnswer, TransferRequest

supervisor_api = Blueprint("supervisor_api", url_prefix="/api")


@supervisor_api.get("/supervisor/desk")
@supervisor_required()
async def desk_overview(request: Request) -> HTTPResponse:
    desk = request.app.ctx.desk
    now = desk.clock()
    waiting, active, closing = await asyncio.gather(
        desk.list(HandoffStatus.WAITING), desk.list(HandoffStatus.ACTIVE), desk.list(HandoffStatus.CLOSING)
    )
    chats = sorted([*waiting, *active, *closing], key=lambda chat: (chat["created_at"], chat["id"]))
    held: Dict[int, int] = {}
    for chat in active:
        if chat["assigned_agent"]:
            held[chat["assigned_agent"]["id"]] = held.get(chat["assigned_agent"]["id"], 0) + 1
    agents: List[AgentLoad] = [
        AgentLoad(
            id=agent.id,
            display_name=agent.display_name,
            role=agent.role,
            status=agent.status,
            online=agent.status is AgentStatus.ONLINE
            and agent.last_seen_at is not None
            and agent.last_seen_at > now - PRESENCE_TIMEOUT,
            active_chats=held.get(agent.id, 0),
            max_concurrent_chats=agent.max_concurrent_chats,
        )
        for agent in await asyncio.to_thread(desk.agents.list)
    ]
    return answer(DeskOverview.parse_obj({"chats": chats, "agents": [agent.dict() for agent in agents]}))


@supervisor_api.post("/handoffs/<handoff_id:int>/transfer")
@supervisor_required()
async def transfer(request: Request, handoff_id: int) -> HTTPResponse:
    body = parse_body(request, TransferRequest)
    desk = request.app.ctx.desk
    to = None
    if body.to_agent_id is not None:
        to = await asyncio.to_thread(desk.agents.get, body.to_agent_id)
        if to is None:
            raise NotFound(f"there is no agent {body.to_agent_id}")
    moved = await desk.transfer(handoff_id, request.ctx.agent, to, body.note.strip())
    return answer(TransferAnswer.parse_obj({"handoff": await desk.summary(moved)}))


def setup_supervisor_api(app: Sanic) -> None:
    app.blueprint(supervisor_api)
