"""The web chat's presence while its customer waits in the queue, so that a customer who left is seen to have left.

Like the typing routes, it needs the session's proof (header X-Chat-Session-Proof).
"""

from __future__ import annotations

import asyncio

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.reports.chat_presence import record_presence
from bot.service.webchat.cors import cors_headers
from bot.service.webchat_typing import preflight_headers
from bot.service.wire.errors import ErrorAnswer
from bot.service.wire.parsing import parse_body
from bot.service.wire.responses import answer
from bot.service.wire.webchat import ChatPresenceAnswer, ChatPresenceRequest
from bot.shared.security.errors import RateLimited
from bot.shared.security.rate_limit import SlidingWindowLimiter
from bot.shared.settings import Settings
from bot.shared.webchat.session_proof import PROOF_HEADER, is_valid_session_id, proof_matches

# a heartbeat every 30 seconds, and a question after each of the assistant's lines (as many as a chatty minute has)
PRESENCE_SIGNALS_PER_MINUTE = 60


def webchat_presence_blueprint(settings: Settings) -> Blueprint:
    presence = Blueprint("webchat_presence")
    signals = SlidingWindowLimiter(PRESENCE_SIGNALS_PER_MINUTE, 60.0)

    @presence.options("/webchat/presence/<session_id>")
    async def presence_preflight(request: Request, session_id: str) -> HTTPResponse:
        return response.empty(headers=preflight_headers(request, settings))

    @presence.post("/webchat/presence/<session_id>")
    async def chat_presence(request: Request, session_id: str) -> HTTPResponse:
        here = parse_body(request, ChatPresenceRequest).here
        cors = cors_headers(request, settings.allowed_origins)
        if not is_valid_session_id(session_id):
            return answer(ErrorAnswer(error="not a chat session id"), status=400, headers=cors)
        if not proof_matches(session_id, request.headers.get(PROOF_HEADER), settings.webchat_session_secret):
            return answer(ErrorAnswer(error="no such chat session"), status=404, headers=cors)
        wait = signals.hit(session_id)
        if wait is not None:
            raise RateLimited("too many presence signals; try again in a moment", wait)
        desk = request.app.ctx.desk
        handoff = await asyncio.to_thread(desk.queue.open_for_conversation, session_id)
        waiting = handoff is not None and handoff.kind == "live" and handoff.claimed_at is None
        if waiting:
            await asyncio.to_thread(record_presence, desk.engine, session_id, here, desk.clock())
        return answer(ChatPresenceAnswer(recorded=waiting), headers=cors)

    return presence


def setup_webchat_presence(app: Sanic, settings: Settings) -> None:
    app.blueprint(webchat_presence_blueprint(settings))
