"""Agent token authentication for the agent API and the shared secret for internal routes."""
from __future__ import annotations

import asyncio
import hmac
from functools import wraps
from typing import Any, Awaitable, Callable, Optional

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.handoff.errors import Unauthorized
from bot.handoff.models import Agent

Handler = Callable[..., Awaitable[HTTPResponse]]
INTERNAL_SECRET_HEADER = "X-Handoff-Secret"


def bearer_token(request: Request, allow_query: bool = False) -> Optional[str]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if allow_query:
        # EventSource cannot send headers, so the console's live stream passes the token here
        return request.args.get("token") or None
    return None


def agent_required(allow_query_token: bool = False) -> Callable[[Handler], Handler]:
    """Puts the authenticated agent on `request.ctx.agent`, or answers 401."""

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            token = bearer_token(request, allow_query_token)
            if not token:
                raise Unauthorized("log in first: send 'Authorization: Bearer <token>'")
            desk = request.app.ctx.desk
            agent: Optional[Agent] = await asyncio.to_thread(desk.agents.agent_for_token, token)
            if agent is None:
                raise Unauthorized("the token is unknown or has expired; log in again")
            request.ctx.agent = agent
            request.ctx.token = token
            await asyncio.to_thread(desk.agents.mark_seen, agent.id)
            return await handler(request, *args, **kwargs)

        return wrapped

    return decorator


def internal_required(handler: Handler) -> Handler:
    @wraps(handler)
    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        expected = request.app.ctx.settings.handoff_secret
        given = request.headers.get(INTERNAL_SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized("internal routes need the shared handoff secret")
        return await handler(request, *args, **kwargs)

    return wrapped
