"""The HTTP guard on a real Sanic server: malformed framing gets a short 400 and a closed connection, a body
that never arrives gets 408 within the request timeout, and ordinary requests are served as before."""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.shared.http import guard as http_guard
from tests.support.raw_http import HOSTILE_HEADS, exchange, hostile_head
from tests.support.served_app import Served

REQUEST_TIMEOUT = 1


@pytest.fixture(scope="module", autouse=True)
def sanic_test_mode() -> Iterator[None]:
    # Several apps start in this process; outside test mode Sanic rewrites its HTTP handlers again for each.
    before = Sanic.test_mode
    Sanic.test_mode = True
    yield
    Sanic.test_mode = before


def echo_app() -> Sanic:
    app = Sanic(f"http_guard_{uuid.uuid4().hex[:8]}")
    app.config.REQUEST_TIMEOUT = REQUEST_TIMEOUT

    @app.post("/echo")
    async def echo(request: Request) -> HTTPResponse:
        return response.text(f"{len(request.body)} bytes")

    @app.get("/echo")
    async def ready(_: Request) -> HTTPResponse:
        return response.text("ok")

    return app


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    http_guard.install()
    try:
        with Served(echo_app()) as server:
            yield server
    finally:
        http_guard.uninstall()


@pytest.mark.parametrize("name", sorted(HOSTILE_HEADS))
def test_a_malformed_head_gets_a_short_400_and_the_connection_is_closed(served: Served, name: str) -> None:
    answer = exchange(served.port, [hostile_head(name, "/echo")], timeout=10)
    assert answer.status == 400, answer.data
    assert answer.closed
    assert 0 < len(answer.body) < 200
    assert answer.seconds < 5
    # The server is still serving everyone else.
    assert served.get("/echo") == (200, b"ok")


def test_a_body_shorter_than_its_content_length_gets_408_within_the_request_timeout(served: Served) -> None:
    answer = exchange(served.port, [b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"], timeout=15)
    assert answer.status == 408, answer.data
    assert answer.closed
    assert answer.seconds < REQUEST_TIMEOUT + 3


def test_a_head_sent_a_little_at_a_time_gets_408_within_the_request_timeout(served: Served) -> None:
    # Each piece restarts Sanic's own timer; the guard's deadline counts from the first piece.
    pieces = [b"GET /echo HTTP/1.1\r\n"] + [b"X-Slow: %d\r\n" % number for number in range(20)]
    answer = exchange(served.port, pieces, timeout=15, pause=0.4)
    assert answer.status == 408, answer.data
    assert answer.closed
    assert answer.seconds < REQUEST_TIMEOUT + 2


def test_a_body_sent_in_pieces_within_the_timeout_is_read(served: Served) -> None:
    pieces = [b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nConnection: close\r\n\r\nab", b"cd", b"ef"]
    answer = exchange(served.port, pieces, timeout=10, pause=0.2)
    assert answer.status == 200
    assert answer.body == b"6 bytes"


def test_a_chunked_body_is_read(served: Served) -> None:
    request = (
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    answer = exchange(served.port, [request], timeout=10)
    assert answer.status == 200
    assert answer.body == b"5 bytes"


def test_a_kept_alive_connection_serves_one_request_after_another(served: Served) -> None:
    first = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"
    second = b"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = exchange(served.port, [first + second], timeout=10)
    assert answer.data.count(b"HTTP/1.1 200 OK") == 2
    assert answer.data.endswith(b"ok")


def test_a_percent_encoded_query_is_not_refused(served: Served) -> None:
    answer = exchange(
        served.port, [b"GET /echo?q=%C3%A9&r=%2F HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"], timeout=10
    )
    assert answer.status == 200
