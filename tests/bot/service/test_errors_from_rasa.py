"""A route that has to wait for Rasa answers 503 when Rasa is too slow and 502 when it is down, never 500."""

from __future__ import annotations

import json

import aiohttp
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.service.errors import setup_error_handlers
from bot.service.handoff.rasa_client import RasaClient
from tests.support.handoff_fixtures import StandInRasa
from tests.support.served_app import Served


def test_rasa_that_is_slow_or_down_answers_503_or_502_never_500() -> None:
    rasa = StandInRasa().start()
    app = Sanic("rasa_errors_probe")
    setup_error_handlers(app)

    @app.get("/probe")
    async def probe(request: Request) -> HTTPResponse:
        async with aiohttp.ClientSession() as session:
            return json_response(await RasaClient(rasa.url, session, timeout_seconds=0.3).tracker("conv-1"))

    try:
        with Served(app) as served:
            assert served.get("/probe")[0] == 200
            rasa.delay_seconds = 1.0
            status, _, body = served.call("GET", "/probe")
            timed_out = (status, json.loads(body))
            rasa.delay_seconds = 0
            rasa.stop()
            status, _, body = served.call("GET", "/probe")
            unreachable = (status, json.loads(body))
    finally:
        rasa.close()
    assert timed_out == (503, {"error": "the assistant (Rasa server) did not answer within 0.3 seconds"})
    assert unreachable == (502, {"error": "the assistant (Rasa server) cannot be reached"})
