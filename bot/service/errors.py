"""Maps domain errors and framework errors to JSON responses; nothing leaks a stack trace."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Type

from sanic import Sanic
from sanic.exceptions import (
    MethodNotSupported,
    PayloadTooLarge,
    SanicException,
)
from sanic.exceptions import (
    NotFound as RouteNotFound,
)
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.handoff.errors import (
    Conflict,
    Forbidden,
    HandoffError,
    InvalidRequest,
    LimitReached,
    NotFound,
    Unauthorized,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from bot.service.wire.errors import ErrorAnswer, FieldError, InvalidRequestAnswer, RateLimitedAnswer
from bot.service.wire.problems import MalformedRequest
from bot.service.wire.responses import answer
from bot.shared.security.errors import RateLimited

logger = logging.getLogger(__name__)

# first match wins: the more specific error comes before its base class
_STATUS_BY_ERROR = {
    InvalidRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    LimitReached: 429,
    UpstreamTimeout: 503,
    UpstreamUnavailable: 502,
}
# how long a client should wait before asking again after Rasa timed out
UPSTREAM_RETRY_AFTER_SECONDS = 5

# Any: each handler takes its own kind of error, and Sanic calls it only with that kind
ErrorHandler = Callable[[Request, Any], Awaitable[HTTPResponse]]


def error_response(status: int, message: str) -> HTTPResponse:
    return answer(ErrorAnswer(error=message), status=status)


def _on(app: Sanic, kind: Type[Exception], handler: ErrorHandler) -> None:
    # the typed form of `@app.exception(kind)`: Sanic registers that decorator's handlers the same way
    app.error_handler.add(kind, handler)


async def _handoff_error(request: Request, error: HandoffError) -> HTTPResponse:
    status = next((code for kind, code in _STATUS_BY_ERROR.items() if isinstance(error, kind)), 400)
    response = error_response(status, str(error))
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    if status == 503:
        response.headers["Retry-After"] = str(UPSTREAM_RETRY_AFTER_SECONDS)
    return response


async def _malformed(request: Request, error: MalformedRequest) -> HTTPResponse:
    fields = [FieldError(field=problem.field, problem=problem.problem) for problem in error.problems]
    return answer(InvalidRequestAnswer(error=f"invalid request: {error}", fields=fields), status=400)


async def _rate_limited(request: Request, error: RateLimited) -> HTTPResponse:
    seconds = error.retry_after_seconds
    response = answer(RateLimitedAnswer(error=str(error), retry_after_seconds=seconds), status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


async def _too_large(request: Request, error: PayloadTooLarge) -> HTTPResponse:
    kib = request.app.config.REQUEST_MAX_SIZE // 1024
    return error_response(413, f"the request body is too large; this service accepts at most {kib} KiB")


async def _unknown_route(request: Request, error: RouteNotFound) -> HTTPResponse:
    return error_response(404, f"no such resource: {request.path}")


async def _wrong_method(request: Request, error: MethodNotSupported) -> HTTPResponse:
    return error_response(405, f"{request.method} is not allowed on {request.path}")


async def _framework_error(request: Request, error: SanicException) -> HTTPResponse:
    status = getattr(error, "status_code", 400) or 400
    if status >= 500:
        logger.error("request to %s failed: %s", request.path, error)
        return error_response(status, "the service could not handle this request")
    return error_response(status, str(error) or "bad request")


async def _unexpected_error(request: Request, error: Exception) -> HTTPResponse:
    logger.exception("unexpected error on %s", request.path)
    return error_response(500, "something went wrong on our side; please try again")


def setup_error_handlers(app: Sanic) -> None:
    _on(app, HandoffError, _handoff_error)
    _on(app, MalformedRequest, _malformed)
    _on(app, RateLimited, _rate_limited)
    _on(app, PayloadTooLarge, _too_large)
    _on(app, RouteNotFound, _unknown_route)
    _on(app, MethodNotSupported, _wrong_method)
    _on(app, SanicException, _framework_error)
    _on(app, Exception, _unexpected_error)
