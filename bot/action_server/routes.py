"""The three routes rasa-sdk's action server answers (/health, /webhook, /actions), served by a given executor."""

from __future__ import annotations

import logging

from rasa_sdk import utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.action_server.action_call import action_call_of, not_an_action_call

logger = logging.getLogger(__name__)


def add_action_routes(app: Sanic, executor: ActionExecutor) -> None:
    """The same routes and answers as rasa-sdk's `create_app`, whose executor cannot be given the context."""

    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    async def webhook(request: Request) -> HTTPResponse:
        call = action_call_of(request)
        if call is None:
            return not_an_action_call()
        utils.check_version_compatibility(call.get("version"))
        try:
            result = await executor.run(call)
        except ActionExecutionRejection as rejection:
            logger.debug(rejection)
            return response.json({"error": rejection.message, "action_name": rejection.action_name}, status=400)
        except ActionNotFoundException as unknown:
            logger.error(unknown)
            return response.json({"error": unknown.message, "action_name": unknown.action_name}, status=404)
        return response.json(result)

    async def actions(request: Request) -> HTTPResponse:
        return response.json([{"name": name} for name in executor.actions])

    app.add_route(health, "/health", methods=["GET"])
    app.add_route(webhook, "/webhook", methods=["POST"])
    app.add_route(actions, "/actions", methods=["GET"])
