"""`create_action_server(settings, store)`: the action server's Sanic app, its actions given the store."""

from __future__ import annotations

import logging
from asyncio import AbstractEventLoop
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.action_server.action_call import keep_action_call
from bot.action_server.executor import ContextActionExecutor
from bot.action_server.routes import add_action_routes
from bot.shared.clock import Clock, utc_now
from bot.shared.domain_forms import DomainForms
from bot.shared.http import guard as http_guard
from bot.shared.security.bearer import bearer_token, token_matches
from bot.shared.settings import Settings
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from bot.store.worker_threads import StoreThreads

logger = logging.getLogger(__name__)
APP_NAME = "action_server"
PROTECTED_PATHS = ("/webhook", "/actions")
# An action call carries the tracker and, for the two actions that read it, the domain (93 KB of JSON today).
REQUEST_MAX_SIZE = 1024 * 1024


def create_action_server(
    settings: Settings,
    store: StoreRepository,
    actions_package: str = "actions",
    clock: Clock = utc_now,
    forms: Optional[DomainForms] = None,
) -> Sanic:
    """Every action of `actions_package` is created once, those that need it with the context.

    The forms are those of the domain the model is trained on (domain.yml) unless given.
    """
    context = StoreContext(
        settings=settings,
        store=store,
        clock=clock,
        threads=StoreThreads(settings.action_store_threads),
        forms=DomainForms.from_file() if forms is None else forms,
    )
    executor = ContextActionExecutor(context)
    executor.register_package(actions_package)
    app = Sanic(APP_NAME, configure_logging=False)
    setup_store_threads(app, context.threads)
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    # See bot/shared/http/guard.py: under load Sanic's 5 s keep-alive timeout dropped Rasa's action calls.
    app.config.KEEP_ALIVE_TIMEOUT = http_guard.KEEP_ALIVE_TIMEOUT_SECONDS
    app.config.REQUEST_TIMEOUT = http_guard.REQUEST_TIMEOUT_SECONDS
    setup_guards(app, settings.action_server_token)
    add_action_routes(app, executor)
    return app


def setup_store_threads(app: Sanic, threads: StoreThreads) -> None:
    """The store's threads end with the server, once the calls under way have finished."""

    async def close_store_threads(app: Sanic, loop: AbstractEventLoop) -> None:
        threads.close()

    app.register_listener(close_store_threads, "after_server_stop")


def setup_guards(app: Sanic, token: Optional[str]) -> None:
    """Size and token checks before any action runs, and errors that tell a caller nothing."""
    # Sanic runs request middleware again on an error response, so an oversized body must be answered
    # here or the token check below would replace the 413.
    app.register_middleware(refuse_oversized, "request")

    async def require_token(request: Request) -> Optional[HTTPResponse]:
        if request.path.startswith(PROTECTED_PATHS) and not token_matches(bearer_token(request), token):
            return response.json({"error": "this endpoint needs the action server token"}, status=401)
        return None

    app.register_middleware(require_token, "request")
    app.register_middleware(require_an_action_call, "request")
    app.error_handler.add(Exception, unexpected_error)


async def refuse_oversized(request: Request) -> Optional[HTTPResponse]:
    length = request.headers.get("content-length", "0")
    if length.isdigit() and int(length) > REQUEST_MAX_SIZE:
        return response.json({"error": f"the body is larger than {REQUEST_MAX_SIZE // 1024} KiB"}, status=413)
    return None


async def require_an_action_call(request: Request) -> Optional[HTTPResponse]:
    """rasa-sdk reads fields of the body without checking it is an object; anything else is a clear 400."""
    if request.method != "POST" or request.path != "/webhook":
        return None
    return keep_action_call(request)


async def unexpected_error(request: Request, exception: Exception) -> HTTPResponse:
    """Errors get a short JSON answer, never the exception text or the request body."""
    status = getattr(exception, "status_code", 500)
    if isinstance(status, int) and 400 <= status < 500:
        return response.json({"error": "the request could not be processed"}, status=status)
    logger.error("Action server error on %s", request.path, exc_info=exception)
    return response.json({"error": "the action server could not run this action"}, status=500)
