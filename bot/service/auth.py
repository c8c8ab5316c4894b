"""Agent token authentication for the agent API and the shared secret for internal routes."""

from __future__ import annotations

import asyncio
import hashlib
from functools import wraps
from typing import Any, Callable, Coroutine, Optional

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.handoff.errors import Unauthorized
from bot.service.handoff.records import Agent
from bot.shared.handoff_api import INTERNAL_SECRET_HEADER
from bot.shared.security.bearer import bearer_token, token_matches
from bot.shared.settings import Settings

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


async def authenticate(request: Request, token: str) -> Agent:
    """Puts the agent holding `token` on `request.ctx.agent` (and marks them seen), or raises 401."""
    desk = request.app.ctx.desk
    agent: Optional[Agent] = await asyncio.to_thread(desk.agents.agent_for_token, token)
    if agent is None:
        raise Unauthorized("the token is unknown or has expired; log in again")
    request.ctx.agent = agent
    request.ctx.token = token
    await asyncio.to_thread(desk.agents.mark_seen, agent.id)
    return agent


def agent_required() -> Callable[[Handler], Handler]:
    """Puts the authenticated agent on `request.ctx.agent`, or answers 401."""

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            token = bearer_token(request)
            if not token:
                raise Unauthorized("log in first: send 'Authorization: Bearer <token>'")
            await authenticate(request, token)
            return await handler(request, *args, **kwargs)

        return wrapped

    return decorator


def _digest(value: str) -> str:
    # Sanic hands header bytes that are not UTF-8 over as surrogates, and so may the environment;
    # surrogatepass encodes any str. Digests have one length, so the secret's length never shows in the timing.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(expected: str, given: str) -> bool:
    """An empty or blank expected secret (HANDOFF_SECRET unset) matches nothing, not even itself."""
    return bool(expected.strip()) and token_matches(_digest(given), _digest(expected))


def internal_required(handler: Handler) -> Handler:
    @wraps(handler)
    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        settings: Settings = request.app.ctx.settings
        expected = settings.handoff_secret
        if not expected.strip():
            raise Unauthorized("internal routes are switched off: HANDOFF_SECRET is not set")
        if not secret_matches(expected, request.headers.get(INTERNAL_SECRET_HEADER, "")):
            raise Unauthorized("internal routes need the shared handoff secret")
        return await handler(request, *args, **kwargs)

    return wrapped
