"""Token authentication for Rasa's HTTP API: a bearer header, compared in constant time, and never open.

Rasa's own `requires_auth` takes the token from the query string only, compares it with `==`, and lets
every request through when no token is configured. This replacement, installed before Rasa builds its
app, accepts `Authorization: Bearer <token>` (and, for Rasa's own tools, `?token=`), compares in constant
time, and refuses every call when the server was started without a token.
"""

from __future__ import annotations

from functools import wraps
from http import HTTPStatus
from inspect import isawaitable
from typing import Any, Callable, Optional

from sanic.request import Request

from bot.shared.security.bearer import bearer_token, token_matches

ENVIRONMENT_VARIABLE = "RASA_API_TOKEN"


def token_from(request: Request) -> Optional[str]:
    """The bearer header, else `?token=` (how Rasa's own tools send it)."""
    header = bearer_token(request)
    if header:
        return header
    query = request.args.get("token")
    return query if isinstance(query, str) and query else None


def requires_token(app: Any, token: Optional[str] = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Has the signature of `rasa.server.requires_auth`, so Rasa's routes use it unchanged."""
    from rasa.server import ErrorResponse

    def decorator(handler: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(handler)
        async def decorated(request: Request, *args: Any, **kwargs: Any) -> Any:
            if not token_matches(token_from(request), token):
                raise ErrorResponse(
                    HTTPStatus.UNAUTHORIZED,
                    "NotAuthenticated",
                    "This API needs 'Authorization: Bearer <RASA_API_TOKEN>'.",
                )
            result = handler(request, *args, **kwargs)
            return await result if isawaitable(result) else result

        return decorated

    return decorator


def install() -> None:
    """Replace Rasa's decorator; call before `rasa.server.create_app` runs."""
    import rasa.server

    rasa.server.requires_auth = requires_token
