"""Server-sent events for the agent console: queue changes and chat messages as they happen."""
from __future__ import annotations

import asyncio
import json

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.auth import agent_required

live_stream = Blueprint("live_stream", url_prefix="/api")
HEARTBEAT_SECONDS = 15.0


@live_stream.get("/stream")
@agent_required(allow_query_token=True)
async def stream(request: Request) -> HTTPResponse:
    desk = request.app.ctx.desk
    agent = request.ctx.agent
    response = await request.respond(
        content_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
    updates = desk.live.subscribe()
    try:
        await response.send("retry: 1000\nevent: ready\ndata: {}\n\n")
        while True:
            try:
                update = await asyncio.wait_for(updates.get(), HEARTBEAT_SECONDS)
            except asyncio.TimeoutError:
                # keeps proxies from closing the stream and tells us the console is still open
                await asyncio.to_thread(desk.agents.mark_seen, agent.id)
                await response.send(": heartbeat\n\n")
                continue
            payload = json.dumps(update, default=str)
            await response.send(f"event: {update['type']}\ndata: {payload}\n\n")
    finally:
        desk.live.unsubscribe(updates)
    return response


def setup_live_stream(app: Sanic) -> None:
    app.blueprint(live_stream)
