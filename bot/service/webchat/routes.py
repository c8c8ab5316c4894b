"""The web chat's routes on the bot service: widget files, the demo shop page, history and demo sign-in."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Dict

import aiohttp
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.webchat.cors import cors_headers, preflight_headers
from bot.service.webchat.history import HistoryUnavailable, fetch_transcript
from bot.service.webchat.shop_page import demo_orders, render_shop_page
from bot.service.wire.errors import ErrorAnswer
from bot.service.wire.parsing import parse_body
from bot.service.wire.problems import FieldProblem, MalformedRequest
from bot.service.wire.responses import answer
from bot.service.wire.webchat import DemoToken, DemoTokenRequest, History, HistoryEntry
from bot.shared.security.errors import RateLimited
from bot.shared.security.rate_limit import SlidingWindowLimiter
from bot.shared.settings import PROJECT_ROOT, Settings
from bot.shared.webchat.identity import issue_shopper_token
from bot.shared.webchat.session_proof import PROOF_HEADER, is_valid_session_id, proof_matches

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
HISTORY_TIMEOUT = aiohttp.ClientTimeout(total=5)
# Per client address: a widget reads its history once per page load or reconnect.
HISTORY_READS_PER_MINUTE = 30
DEMO_TOKENS_PER_MINUTE = 10
STATIC_FILES: Dict[str, str] = {
    "webchat.js": "application/javascript; charset=utf-8",
    "webchat.css": "text/css; charset=utf-8",
    "shop.js": "application/javascript; charset=utf-8",
    "shop.css": "text/css; charset=utf-8",
}


def setup_webchat(app: Sanic, settings: Settings) -> None:
    """Serve the widget and the demo shop page from `app`."""
    app.blueprint(webchat_blueprint(settings))

    @app.before_server_start
    async def open_history_client(app: Sanic, _loop: object) -> None:
        app.ctx.webchat_http = aiohttp.ClientSession(timeout=HISTORY_TIMEOUT)

    @app.after_server_stop
    async def close_history_client(app: Sanic, _loop: object) -> None:
        await app.ctx.webchat_http.close()


def webchat_blueprint(settings: Settings) -> Blueprint:
    webchat = Blueprint("webchat")
    history_limiter = SlidingWindowLimiter(HISTORY_READS_PER_MINUTE, 60.0)
    demo_token_limiter = SlidingWindowLimiter(DEMO_TOKENS_PER_MINUTE, 60.0)
    origins = settings.allowed_origins

    @webchat.get("/")
    async def shop_page(request: Request) -> HTTPResponse:
        # `?lang=es`: the widget embedded in Spanish (any other value is ignored), as a Spanish shop page has it.
        language = request.args.get("lang")
        page = render_shop_page(settings.rasa_url, demo_signin=_demo_signin_enabled(settings), widget_language=language)
        return response.html(page)

    @webchat.get("/<filename:(webchat\\.js|webchat\\.css|shop\\.js|shop\\.css)>")
    async def static_file(_: Request, filename: str) -> HTTPResponse:
        return await response.file(
            STATIC_DIR / filename,
            mime_type=STATIC_FILES[filename],
            headers={"Cache-Control": "no-cache"},
        )

    @webchat.get("/webchat/vendor/socket.io.min.js")
    async def socket_io_client(_: Request) -> HTTPResponse:
        if not SOCKET_IO_CLIENT.exists():
            return response.text("socket.io-client is not installed: run `npm ci`", status=503)
        return await response.file(SOCKET_IO_CLIENT, mime_type="application/javascript; charset=utf-8")

    @webchat.options("/webchat/history/<session_id>")
    async def history_preflight(request: Request, session_id: str) -> HTTPResponse:
        return response.empty(headers=preflight_headers(request, origins))

    @webchat.get("/webchat/history/<session_id>")
    async def history(request: Request, session_id: str) -> HTTPResponse:
        """The transcript, for the browser holding the session's proof only (header X-Chat-Session-Proof)."""
        cors = cors_headers(request, origins)
        _throttle(history_limiter, request, "too many history requests")
        if not is_valid_session_id(session_id):
            return answer(ErrorAnswer(error="not a chat session id"), status=400, headers=cors)
        if not proof_matches(session_id, request.headers.get(PROOF_HEADER), settings.webchat_session_secret):
            # The same answer whether or not the conversation exists.
            return answer(ErrorAnswer(error="no such chat session"), status=404, headers=cors)
        try:
            transcript = await fetch_transcript(
                request.app.ctx.webchat_http, settings.rasa_url, session_id, settings.rasa_api_token
            )
        except HistoryUnavailable as error:
            logger.warning("Chat history unavailable: %s", error)
            unavailable = ErrorAnswer(error="the conversation history is unavailable right now")
            return answer(unavailable, status=503, headers=cors)
        messages = [HistoryEntry.parse_obj(entry.as_json()) for entry in transcript]
        return answer(History(session_id=session_id, messages=messages), headers=cors)

    @webchat.post("/demo/token")
    async def demo_token(request: Request) -> HTTPResponse:
        secret = settings.webchat_jwt_secret
        if not (_demo_signin_enabled(settings) and secret):
            return answer(ErrorAnswer(error="demo sign-in is switched off"), status=404)
        _throttle(demo_token_limiter, request, "too many sign-in requests")
        email = _demo_email(request)
        return answer(DemoToken(token=issue_shopper_token(email, secret), email=email))

    return webchat


def _throttle(limiter: SlidingWindowLimiter, request: Request, message: str) -> None:
    wait = limiter.hit(request.remote_addr or request.ip or "unknown")
    if wait is not None:
        raise RateLimited(f"{message}; try again in a moment", wait)


def _demo_signin_enabled(settings: Settings) -> bool:
    return bool(settings.webchat_demo_signin and settings.webchat_jwt_secret)


def _demo_email(request: Request) -> str:
    """The demo customer's email, lower case; whatever else the page sent gets one answer, naming the field."""
    not_a_demo_customer = MalformedRequest([FieldProblem("email", "must be one of the demo customers")])
    try:
        email = parse_body(request, DemoTokenRequest).email.strip().lower()
    except MalformedRequest as error:
        raise not_a_demo_customer from error
    if email not in {order.customer_email for order in demo_orders()}:
        raise not_a_demo_customer
    return email
