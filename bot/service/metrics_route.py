"""GET /metrics in Prometheus' text format: with METRICS_TOKEN for a bearer token, else for loopback callers only."""

from __future__ import annotations

import asyncio

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import secret_matches
from bot.service.handoff.errors import Forbidden, Unauthorized
from bot.service.metrics_collector import SupportCollector
from bot.shared.security.bearer import bearer_token
from bot.shared.settings import Settings

metrics_routes = Blueprint("metrics")
LOOPBACK = frozenset({"127.0.0.1", "::1"})


def _check_access(request: Request, settings: Settings) -> None:
    if settings.metrics_token:
        if not secret_matches(settings.metrics_token, bearer_token(request) or ""):
            raise Unauthorized("/metrics needs 'Authorization: Bearer <METRICS_TOKEN>'")
    elif _caller_address(request) not in LOOPBACK:
        raise Forbidden("/metrics answers loopback callers only unless METRICS_TOKEN is set")


def _caller_address(request: Request) -> str:
    """Behind the edge proxy the peer is always the proxy: the client is the address it vouches for.

    Sanic fills `remote_addr` only from a forwarding header it trusts (FORWARDED_SECRET or PROXIES_COUNT);
    without one a client's own X-Forwarded-For is ignored and the peer's address counts.
    """
    if request.remote_addr:
        return str(request.remote_addr)
    return request.conn_info.client_ip if request.conn_info is not None else ""


@metrics_routes.get("/metrics")
async def metrics(request: Request) -> HTTPResponse:
    _check_access(request, request.app.ctx.settings)
    body = await asyncio.to_thread(generate_latest, request.app.ctx.metrics_registry)
    return HTTPResponse(body, content_type=CONTENT_TYPE_LATEST)


def setup_metrics(app: Sanic) -> None:
    app.blueprint(metrics_routes)

    @app.before_server_start
    async def open_registry(app: Sanic, _loop: object) -> None:
        # a registry per app: several apps run in one test process, and the default one holds process metrics
        app.ctx.metrics_registry = CollectorRegistry()
        app.ctx.metrics_registry.register(SupportCollector(app.ctx.desk.engine, app.ctx.desk.clock))
