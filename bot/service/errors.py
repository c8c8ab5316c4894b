"""Maps domain errors and framework errors to JSON responses; nothing leaks a stack trace."""
from __future__ import annotations

import logging

from sanic import Sanic
from sanic.exceptions import (
    MethodNotSupported,
    NotFound as RouteNotFound,
    PayloadTooLarge,
    SanicException,
)
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.handoff.errors import (
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
from bot.security.errors import RateLimited

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


def error_response(status: int, message: str) -> HTTPResponse:
    return json({"error": message}, status=status)


def setup_error_handlers(app: Sanic) -> None:
    @app.exception(HandoffError)
    async def handoff_error(request: Request, error: HandoffError) -> HTTPResponse:
        status = next(
            (code for kind, code in _STATUS_BY_ERROR.items() if isinstance(error, kind)), 400
        )
        response = error_response(status, str(error))
        if status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if status == 503:
            response.headers["Retry-After"] = str(UPSTREAM_RETRY_AFTER_SECONDS)
        return response

    @app.exception(RateLimited)
    async def rate_limited(request: Request, error: RateLimited) -> HTTPResponse:
        seconds = error.retry_after_seconds
        response = json({"error": str(error), "retry_after_seconds": seconds}, status=429)
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, error: PayloadTooLarge) -> HTTPResponse:
        kib = request.app.config.REQUEST_MAX_SIZE // 1024
        return error_response(413, f"the request body is too large; this service accepts at most {kib} KiB")

    @app.exception(RouteNotFound)
    async def unknown_route(request: Request, error: RouteNotFound) -> HTTPResponse:
        return error_response(404, f"no such resource: {request.path}")

    @app.exception(MethodNotSupported)
    async def wrong_method(request: Request, error: MethodNotSupported) -> HTTPResponse:
        return error_response(405, f"{request.method} is not allowed on {request.path}")

    @app.exception(SanicException)
    async def framework_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 400) or 400
        if status >= 500:
            logger.error("request to %s failed: %s", request.path, error)
            return error_response(status, "the service could not handle this request")
        return error_response(status, str(error) or "bad request")

    @app.exception(Exception)
    async def unexpected_error(request: Request, error: Exception) -> HTTPResponse:
        logger.exception("unexpected error on %s", request.path)
        return error_response(500, "something went wrong on our side; please try again")
