"""`python -m bot.serving.action_server`: rasa-sdk's action server, reachable only by the Rasa server.

It binds to ACTION_BIND_HOST (loopback by default) and answers `/webhook` and `/actions` only with
`Authorization: Bearer <ACTION_SERVER_TOKEN>`, the header `endpoints.yml` makes Rasa send. `/health`
stays open and says nothing but "ok". Errors get a short JSON answer, never the exception or the request.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import List, Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import log_masking
from bot.config import Settings
from bot.serving.rasa_server import KEEP_ALIVE_TIMEOUT_SECONDS
from bot.security.bearer import bearer_token, token_matches
from bot.serving import http_guard
from bot.startup_checks import refuse_unsafe_start

logger = logging.getLogger(__name__)
PROTECTED_PATHS = ("/webhook", "/actions")
# An action call carries the tracker and, by default, the domain (about 25 KB today).
REQUEST_MAX_SIZE = 1024 * 1024


def create_action_app(settings: Settings, actions_package: str = "actions") -> Sanic:
    from rasa_sdk.endpoint import create_app

    app = create_app(actions_package, cors_origins=[])
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    # See bot/serving/rasa_server.py: under load Sanic's 5 s keep-alive timeout dropped Rasa's action calls.
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_TIMEOUT_SECONDS
    app.config.REQUEST_TIMEOUT = http_guard.REQUEST_TIMEOUT_SECONDS
    token = settings.action_server_token

    # Sanic runs request middleware again on an error response, so an oversized body must be answered
    # here or the token check below would replace the 413.
    @app.middleware("request")
    async def refuse_oversized(request: Request) -> Optional[HTTPResponse]:
        length = request.headers.get("content-length", "0")
        if length.isdigit() and int(length) > REQUEST_MAX_SIZE:
            return response.json({"error": f"the body is larger than {REQUEST_MAX_SIZE // 1024} KiB"}, status=413)
        return None

    @app.middleware("request")
    async def require_token(request: Request) -> Optional[HTTPResponse]:
        if request.path.startswith(PROTECTED_PATHS) and not token_matches(bearer_token(request), token):
            return response.json({"error": "this endpoint needs the action server token"}, status=401)
        return None

    # rasa-sdk reads fields of the body without checking it is an object; anything else is a clear 400.
    @app.middleware("request")
    async def require_an_action_call(request: Request) -> Optional[HTTPResponse]:
        if request.method != "POST" or request.path != "/webhook":
            return None
        if request.headers.get("Content-Encoding") == "deflate":
            return None
        try:
            call = json.loads(request.body or b"")
        except ValueError:
            call = None
        if not isinstance(call, dict) or not isinstance(call.get("next_action"), str):
            return response.json({"error": "the body must be an action call (a JSON object)"}, status=400)
        return None

    # Replaces rasa-sdk's handler, which echoes the exception text and the whole request body.
    @app.exception(Exception)
    async def unexpected_error(request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500)
        if isinstance(status, int) and 400 <= status < 500:
            return response.json({"error": "the request could not be processed"}, status=status)
        logger.error("Action server error on %s", request.path, exc_info=exception)
        return response.json({"error": "the action server could not run this action"}, status=500)

    return app


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actions", default="actions", help="package holding the actions")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.serving.action_server")
    add_arguments(parser)
    args = parser.parse_args(argv)
    log_masking.install()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    refuse_unsafe_start(settings, "action server")
    if not settings.action_server_token:
        print("error: ACTION_SERVER_TOKEN is not set; the action server will not run open", file=sys.stderr)
        return 2
    app = create_action_app(settings, args.actions)
    http_guard.install()
    app.run(host=settings.action_bind_host, port=settings.action_port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
