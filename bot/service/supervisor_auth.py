"""Routes for supervisors only: an authenticated agent with another role gets 403."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import Handler, agent_required
from bot.service.handoff.errors import Forbidden
from bot.service.handoff.records import AgentRole


def supervisor_required() -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            if request.ctx.agent.role is not AgentRole.SUPERVISOR:
                raise Forbidden("only a supervisor may do this")
            return await handler(request, *args, **kwargs)

        return agent_required()(wrapped)

    return decorator
