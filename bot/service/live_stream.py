"""Server-sent events for the agent console: queue changes and chat messages as they happen.

The console first asks for a ticket (`POST /api/stream/ticket`, Bearer token) and opens
`GET /api/stream?ticket=...`; the stream ends when its token does: at logout at once, at expiry by
the next heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, Dict, Optional, Set, Union

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import agent_required, authenticate
from bot.service.handoff.errors import Unauthorized
from bot.service.stream_sessions import StreamSessions
from bot.service.stream_tickets import StreamTickets
from bot.service.wire.parsing import parse_query
from bot.service.wire.responses import answer
from bot.service.wire.stream import StreamQuery, StreamTicket
from bot.shared.redis_relay import RedisRelay
from bot.shared.redis_tickets import RedisStreamTickets
from bot.shared.security.bearer import bearer_token
from bot.shared.settings import Settings

live_stream = Blueprint("live_stream", url_prefix="/api")
HEARTBEAT_SECONDS = 15.0


def _event(kind: str, payload: Dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(payload, default=str)}\n\n"


@live_stream.post("/stream/ticket")
@agent_required()
async def stream_ticket(request: Request) -> HTTPResponse:
    tickets: Union[StreamTickets, RedisStreamTickets] = request.app.ctx.stream_tickets
    ticket = tickets.issue(request.ctx.token)
    return answer(StreamTicket(ticket=ticket, expires_in_seconds=tickets.lifetime_seconds), status=201)


def _stream_token(request: Request) -> str:
    if "token" in request.args:
        raise Unauthorized("tokens do not go in URLs: POST /api/stream/ticket and open ?ticket=<ticket>")
    ticket = parse_query(request, StreamQuery).ticket
    if ticket:
        token: Optional[str] = request.app.ctx.stream_tickets.redeem(ticket)
        if token is None:
            raise Unauthorized("the stream ticket is unknown, used or expired; ask for a new one")
        return token
    token = bearer_token(request)
    if not token:
        raise Unauthorized("open the stream with ?ticket= from POST /api/stream/ticket")
    return token


@live_stream.get("/stream")
async def stream(request: Request) -> None:
    token = _stream_token(request)
    agent = await authenticate(request, token)
    desk = request.app.ctx.desk
    sessions: StreamSessions = request.app.ctx.stream_sessions
    heartbeat: float = request.app.ctx.stream_heartbeat_seconds
    loop = asyncio.get_running_loop()
    response = await request.respond(
        content_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
    updates = desk.live.subscribe()
    ended = sessions.watch(token)
    logged_out = asyncio.ensure_future(ended.wait())
    next_update: asyncio.Future[Dict[str, Any]] = asyncio.ensure_future(updates.get())
    try:
        await response.send("retry: 1000\nevent: ready\ndata: {}\n\n")
        next_beat = loop.time() + heartbeat
        while True:
            # typed as Any: the two futures carry different results, and only their completion matters here
            waiting: Set[asyncio.Future[Any]] = {next_update, logged_out}
            await asyncio.wait(
                waiting,
                timeout=max(0.0, next_beat - loop.time()),
                return_when=asyncio.FIRST_COMPLETED,
            )
            if logged_out.done():
                await response.send(_event("session_ended", {"reason": "logged_out"}))
                break
            if next_update.done():
                update = next_update.result()
                await response.send(_event(update["type"], update))
                next_update = asyncio.ensure_future(updates.get())
            if loop.time() >= next_beat:
                # a token that expired since the last beat ends the stream it opened
                if await asyncio.to_thread(desk.agents.agent_for_token, token) is None:
                    await response.send(_event("session_ended", {"reason": "expired"}))
                    break
                # keeps proxies from closing the stream and tells us the console is still open
                await asyncio.to_thread(desk.agents.mark_seen, agent.id)
                await response.send(": heartbeat\n\n")
                next_beat = loop.time() + heartbeat
    finally:
        next_update.cancel()
        logged_out.cancel()
        desk.live.unsubscribe(updates)
        sessions.unwatch(token, ended)
    await response.eof()


def setup_live_stream(
    app: Sanic, heartbeat_seconds: float = HEARTBEAT_SECONDS, settings: Optional[Settings] = None
) -> None:
    """With REDIS_URL set, tickets and live updates are shared by every bot-service process of the deployment."""
    redis_url = settings.redis_url if settings else None
    if redis_url and settings:
        app.ctx.stream_tickets = RedisStreamTickets(redis_url, settings.redis_key_prefix)
        _relay_live_updates(app, redis_url, f"{settings.redis_key_prefix}:live_updates")
    else:
        app.ctx.stream_tickets = StreamTickets()
    app.ctx.stream_sessions = StreamSessions()
    app.ctx.stream_heartbeat_seconds = heartbeat_seconds
    app.blueprint(live_stream)


def _relay_live_updates(app: Sanic, redis_url: str, channel: str) -> None:
    # registered after setup_handoff's listener, which opens the desk this one attaches to
    @app.before_server_start
    async def start_relay(app: Sanic, _loop: object) -> None:
        relay = RedisRelay(redis_url, channel, app.ctx.desk.live.deliver)
        app.ctx.desk.live.relay_to(relay)
        app.ctx.live_relay_task = asyncio.ensure_future(relay.run())

    @app.after_server_stop
    async def stop_relay(app: Sanic, _loop: object) -> None:
        app.ctx.desk.live.relay_to(None)
        app.ctx.live_relay_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await app.ctx.live_relay_task
        app.ctx.stream_tickets.close()
