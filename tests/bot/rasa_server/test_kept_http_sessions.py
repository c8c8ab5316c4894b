"""Rasa's endpoint calls reuse one connection, and the server closes it when it stops."""

from __future__ import annotations

import asyncio
from typing import Iterator, List

import pytest
from aiohttp import web
from rasa.core import run
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import kept_http_sessions


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[kept_http_sessions.KeptSessions]:
    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    monkeypatch.setattr(run, "close_resources", run.close_resources)
    yield kept_http_sessions.install()


async def serve(peers: List[object]) -> web.AppRunner:
    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        assert request.headers["Authorization"] == "Bearer action-token"
        return web.json_response({"events": [], "responses": [], "seen": await request.json()})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


def test_calls_share_one_connection_and_closing_ends_it(kept: kept_http_sessions.KeptSessions) -> None:
    peers: List[object] = []

    async def scenario() -> None:
        runner = await serve(peers)
        port = runner.addresses[0][1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"Authorization": "Bearer action-token"})
        try:
            replies = [await endpoint.request(json={"call": number}, method="post") for number in range(3)]
            assert [reply["seen"] for reply in replies] == [{"call": 0}, {"call": 1}, {"call": 2}]
            assert len(peers) == 3 and len(set(peers)) == 1  # one client port: one connection
            session = endpoint._kept_sessions[asyncio.get_running_loop()]  # type: ignore[attr-defined]
            await run.close_resources(type("App", (), {"ctx": type("Ctx", (), {})()})(), asyncio.get_running_loop())
            assert session.closed
            await endpoint.request(json={"call": 3}, method="post")  # a new session after closing
            assert len(set(peers)) == 2
            await kept.close()
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_an_error_status_is_raised_as_rasa_raises_it(kept: kept_http_sessions.KeptSessions) -> None:
    from rasa.utils.endpoints import ClientResponseError

    async def scenario() -> None:
        runner = await serve([])
        port = runner.addresses[0][1]
        try:
            endpoint = EndpointConfig(f"http://127.0.0.1:{port}/missing")
            with pytest.raises(ClientResponseError) as raised:
                await endpoint.request(json={}, method="post")
            assert raised.value.status == 404
            await kept.close()
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
