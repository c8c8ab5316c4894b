"""Agent token authentication for the agent API and the shared secret for internal routes."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
from functools import wraps
from typing import Any, Awaitable, Callable, Optional

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.handoff.errors import Unauthorized
from bot.handoff.models import Agent

Handler = Callable[..., Awaitable[HTTPResponse]]
INTERNAL_SECRET_HEADER = "X-Handoff-Secret"


def bearer_token(request: Request) -> Optional[str]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


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


def secret_matches(expected: str, given: str) -> bool:
    """Constant time, on bytes; an empty expected secret (HANDOFF_SECRET unset) matches nothing."""
    # Sanic hands header bytes that are not UTF-8 over as surrogates; surrogatepass encodes any str
    expected_bytes = expected.encode("utf-8", "surrogatepass")
    given_bytes = given.encode("utf-8", "surrogatepass")
    # digests of equal length, so not even the secret's length shows in the timing
    return bool(expected.strip()) and hmac.compare_digest(
        hashlib.sha256(given_bytes).digest(), hashlib.sha256(expected_bytes).digest()
    )


def internal_required(handler: Handler) -> Handler:
    @wraps(handler)
    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        expected = request.app.ctx.settings.handoff_secret
        if not expected.strip():
            raise Unauthorized("internal routes are switched off: HANDOFF_SECRET is not set")
        if not secret_matches(expected, request.headers.get(INTERNAL_SECRET_HEADER, "")):
            raise Unauthorized("internal routes need the shared handoff secret")
        return await handler(request, *args, **kwargs)

    return wrapped
