"""The console's working routes under /api: presence in a chat, the context card's facts, canned replies, labels, search."""

from __future__ import annotations

import asyncio

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import agent_required
from bot.service.handoff.canned_responses import VARIABLES, canned_responses, languages
from bot.service.handoff.chat_facts import chat_facts
from bot.service.handoff.conversation_search import ConversationSearch
from bot.service.handoff.payloads import iso
from bot.service.handoff.permissions import may_write_in, require_write_access
from bot.service.presence import Activity, ChatPresence
from bot.service.privacy.audit import record_view
from bot.service.wire.console import (
    CannedResponses,
    CannedResponsesQuery,
    CannedResponseView,
    ChatFactsView,
    CustomerFactsView,
    EarlierChatView,
    KnownLabels,
    LabelsAnswer,
    LabelsRequest,
    OrderFactsView,
    PresenceAnswer,
    PresenceRequest,
    PresentAgent,
    SearchAnswer,
    SearchHitView,
    SearchQuery,
)
from bot.service.wire.parsing import parse_body, parse_query
from bot.service.wire.responses import answer

console_api = Blueprint("console_api", url_prefix="/api")


@console_api.post("/handoffs/<handoff_id:int>/presence")
@agent_required()
async def report_presence(request: Request, handoff_id: int) -> HTTPResponse:
    activity = parse_body(request, PresenceRequest).activity
    desk = request.app.ctx.desk
    presence: ChatPresence = request.app.ctx.presence
    agent = request.ctx.agent
    handoff = await desk.require(handoff_id)
    changed = presence.report(
        handoff.id, handoff.conversation_id, agent.id, agent.display_name, activity, may_write_in(agent, handoff)
    )
    if changed or activity is Activity.TYPING:
        desk.live.publish(
            "agent_presence",
            handoff_id=handoff.id,
            agent_id=agent.id,
            display_name=agent.display_name,
            activity=activity.value,
        )
    others = [
        PresentAgent(agent_id=other.agent_id, display_name=other.display_name, activity=other.activity)
        for other in presence.present(handoff.id, except_agent=agent.id)
    ]
    return answer(PresenceAnswer(others=others))


@console_api.get("/handoffs/<handoff_id:int>/facts")
@agent_required()
async def facts(request: Request, handoff_id: int) -> HTTPResponse:
    desk = request.app.ctx.desk
    handoff = await desk.require(handoff_id)
    slots = dict(handoff.context.get("slots") or {})
    found = await asyncio.to_thread(chat_facts, desk.engine, handoff, slots)
    if found.customer.verified and found.customer.email:
        # an agent opening a verified customer's record is written down; the log keeps no address
        viewed = f"handoff:{handoff.id}"
        await asyncio.to_thread(record_view, desk.engine, request.ctx.agent.id, viewed, "context card", desk.clock())
    labels = await asyncio.to_thread(desk.labels.labels_of, handoff.id)
    order = found.order
    return answer(
        ChatFactsView(
            customer=CustomerFactsView(**found.customer.__dict__),
            language=found.language,
            order=None if order is None else OrderFactsView(**{**order.__dict__, "placed_at": iso(order.placed_at)}),
            failed_verifications=found.failed_verifications,
            earlier_chats=[
                EarlierChatView(**{**chat.__dict__, "created_at": chat.created_at.isoformat()})
                for chat in found.earlier_chats
            ],
            labels=labels,
        )
    )


@console_api.post("/handoffs/<handoff_id:int>/labels")
@agent_required()
async def set_labels(request: Request, handoff_id: int) -> HTTPResponse:
    wanted = parse_body(request, LabelsRequest).labels
    desk = request.app.ctx.desk
    handoff = await desk.require(handoff_id)
    require_write_access(request.ctx.agent, handoff, "label it")
    labels = await asyncio.to_thread(desk.labels.set_labels, handoff.id, wanted, request.ctx.agent.id)
    desk.live.publish("labels", handoff_id=handoff.id, labels=labels)
    return answer(LabelsAnswer(labels=labels))


@console_api.get("/labels")
@agent_required()
async def known_labels(request: Request) -> HTTPResponse:
    desk = request.app.ctx.desk
    labels = await asyncio.to_thread(desk.labels.known_labels)
    return answer(KnownLabels(labels=labels))


@console_api.get("/canned-responses")
@agent_required()
async def list_canned_responses(request: Request) -> HTTPResponse:
    language, replies = canned_responses(parse_query(request, CannedResponsesQuery).language)
    return answer(
        CannedResponses(
            language=language,
            languages=languages(),
            variables=list(VARIABLES),
            responses=[
                CannedResponseView(shortcut=reply.shortcut, title=reply.title, text=reply.text) for reply in replies
            ],
        )
    )


@console_api.get("/conversations/search")
@agent_required()
async def search(request: Request) -> HTTPResponse:
    query = parse_query(request, SearchQuery).q
    desk = request.app.ctx.desk
    hits = await asyncio.to_thread(ConversationSearch(desk.engine, desk.clock).search, query)
    return answer(
        SearchAnswer(
            results=[
                SearchHitView(
                    **{**hit.__dict__, "created_at": hit.created_at.isoformat(), "closed_at": iso(hit.closed_at)}
                )
                for hit in hits
            ]
        )
    )


def setup_console_api(app: Sanic) -> None:
    app.ctx.presence = ChatPresence()
    app.blueprint(console_api)
