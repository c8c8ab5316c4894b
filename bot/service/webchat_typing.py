"""Typing both ways while a person handles a web chat: the widget tells the consoles, and waits to hear of the agent.

Both routes need the session's proof (header X-Chat-Session-Proof), as the history route does: only the
browser the chat was given to may speak or listen for it.
"""

from __future__ import annotations

import asyncio
from typing import Dict

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.presence import ChatPresence
from bot.service.webchat.cors import cors_headers
from bot.service.wire.console import AgentTypingAnswer, AgentTypingQuery, CustomerTypingAnswer, CustomerTypingRequest
from bot.service.wire.errors import ErrorAnswer
from bot.service.wire.parsing import parse_body, parse_query
from bot.service.wire.responses import answer
from bot.shared.security.errors import RateLimited
from bot.shared.security.rate_limit import SlidingWindowLimiter
from bot.shared.settings import Settings
from bot.shared.webchat.session_proof import PROOF_HEADER, is_valid_session_id, proof_matches

# the widget reports typing at most every 2 seconds and asks again after each answer
TYPING_REPORTS_PER_MINUTE = 60
TYPING_WAITS_PER_MINUTE = 60
LONG_POLL_SECONDS = 20.0


def preflight_headers(request: Request, settings: Settings) -> Dict[str, str]:
    headers = cors_headers(request, settings.allowed_origins)
    if "Access-Control-Allow-Origin" in headers:
        headers.update(
            {
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": f"{PROOF_HEADER}, Content-Type",
                "Access-Control-Max-Age": "600",
            }
        )
    return headers


def webchat_typing_blueprint(settings: Settings, long_poll_seconds: float = LONG_POLL_SECONDS) -> Blueprint:
    typing = Blueprint("webchat_typing")
    reports = SlidingWindowLimiter(TYPING_REPORTS_PER_MINUTE, 60.0)
    waits = SlidingWindowLimiter(TYPING_WAITS_PER_MINUTE, 60.0)

    def refused(request: Request, session_id: str) -> HTTPResponse | None:
        cors = cors_headers(request, settings.allowed_origins)
        if not is_valid_session_id(session_id):
            return answer(ErrorAnswer(error="not a chat session id"), status=400, headers=cors)
        if not proof_matches(session_id, request.headers.get(PROOF_HEADER), settings.webchat_session_secret):
            return answer(ErrorAnswer(error="no such chat session"), status=404, headers=cors)
        return None

    @typing.options("/webchat/typing/<session_id>")
    async def typing_preflight(request: Request, session_id: str) -> HTTPResponse:
        return response.empty(headers=preflight_headers(request, settings))

    @typing.post("/webchat/typing/<session_id>")
    async def customer_typing(request: Request, session_id: str) -> HTTPResponse:
        # the body first, as every route reads it: a malformed one is a 400 whoever sends it
        is_typing = parse_body(request, CustomerTypingRequest).typing
        problem = refused(request, session_id)
        if problem is not None:
            return problem
        _throttle(reports, session_id)
        desk = request.app.ctx.desk
        handoff = await asyncio.to_thread(desk.queue.open_for_conversation, session_id)
        if handoff is not None:
            desk.live.publish("customer_typing", handoff_id=handoff.id, typing=is_typing)
        cors = cors_headers(request, settings.allowed_origins)
        return answer(CustomerTypingAnswer(relayed=handoff is not None), headers=cors)

    @typing.get("/webchat/typing/<session_id>")
    async def agent_typing(request: Request, session_id: str) -> HTTPResponse:
        problem = refused(request, session_id)
        if problem is not None:
            return problem
        _throttle(waits, session_id)
        known = parse_query(request, AgentTypingQuery).known()
        presence: ChatPresence = request.app.ctx.presence
        state = await presence.typing_change(session_id, known, long_poll_seconds)
        cors = cors_headers(request, settings.allowed_origins)
        return answer(AgentTypingAnswer(typing=state.typing, agent=state.agent), headers=cors)

    return typing


def _throttle(limiter: SlidingWindowLimiter, session_id: str) -> None:
    wait = limiter.hit(session_id)
    if wait is not None:
        raise RateLimited("too many typing signals; try again in a moment", wait)


def setup_webchat_typing(app: Sanic, settings: Settings) -> None:
    """Needs `app.ctx.presence` (setup_console_api) and the desk."""
    app.blueprint(webchat_typing_blueprint(settings))
