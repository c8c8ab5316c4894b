"""The nginx edge (bot/edge/) in front of the running stack: hostile framing and slow clients are cut off at the
edge, bodies and rates are capped, and a customer's conversation, the web chat's WebSocket and the agent
API work through it.

The same framings sent straight to the apps are tests/security/test_hostile_framing.py.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List, Type
from urllib.parse import urlsplit

import pytest
import requests

from bot.edge.proxy import (
    EMAIL_MAX_BODY_KIB,
    REQUEST_TIMEOUT_SECONDS,
    EdgeConfig,
    EdgeLimits,
    EdgeProxy,
    nginx_binary,
)
from tests.support.framed_request import answer_head
from tests.support.raw_http import HOSTILE_HEADS, exchange, hostile_head
from tests.support.stack import Stack, free_port

# The body framings the edge itself must refuse; the others (a non-ASCII path, an undecodable header,
# a bare LF) are valid enough for nginx, which passes them on in its own clean framing.
REFUSED_AT_THE_EDGE = (
    "negative Content-Length",
    "non-numeric Content-Length",
    "signed Content-Length",
    "conflicting Content-Length",
    "Content-Length list",
    "Content-Length with Transfer-Encoding",
    "unknown Transfer-Encoding",
    "space before the colon",
)
# Seconds: an answer or a closed connection well before any app's own timeouts would have ended it.
QUICKLY = 5.0
# A slow client is cut off after the request timeout; the margin is for a busy machine.
CUT_OFF = REQUEST_TIMEOUT_SECONDS + 5.0

pytestmark = pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (Debian: apt-get install nginx-light; .ci/run does)"
)


def port(url: str) -> int:
    return int(urlsplit(url).port or 80)


@pytest.fixture(scope="module")
def edge(running_stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EdgeConfig]:
    config = EdgeConfig(
        rasa_port=port(running_stack.rasa_url),
        service_port=port(running_stack.service_url),
        rasa_edge_port=free_port(),
        service_edge_port=free_port(),
        prefix=tmp_path_factory.mktemp("edge"),
    )
    with _running(config):
        yield config


def edge_ports(config: EdgeConfig) -> Dict[str, int]:
    return {"Rasa server": config.rasa_edge_port, "bot service": config.service_edge_port}


@contextlib.contextmanager
def _running(config: EdgeConfig) -> Iterator[EdgeConfig]:
    proxy = EdgeProxy(config).start()
    try:
        yield config
    finally:
        proxy.stop()


def _served(handler: Type[http.server.BaseHTTPRequestHandler]) -> http.server.ThreadingHTTPServer:
    """A test's own upstream on a free loopback port, answering on a thread of its own."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def _edge_in_front_of(handler: Type[http.server.BaseHTTPRequestHandler], prefix: Path) -> Iterator[EdgeConfig]:
    """An upstream of the test's own on loopback as both apps, with an edge of its own in front."""
    upstream = _served(handler)
    upstream_port = upstream.server_address[1]
    try:
        with _running(EdgeConfig(upstream_port, upstream_port, free_port(), free_port(), prefix=prefix)) as config:
            yield config
    finally:
        upstream.shutdown()


@pytest.mark.parametrize("framing", REFUSED_AT_THE_EDGE)
def test_malformed_framing_is_refused_at_the_edge(edge: EdgeConfig, framing: str) -> None:
    for name, edge_port in edge_ports(edge).items():
        answer = exchange(edge_port, [hostile_head(framing, "/health")], timeout=QUICKLY + 5)
        assert answer.seconds < QUICKLY, (name, framing)
        assert answer.status is None and answer.closed or 400 <= (answer.status or 0) < 500, (name, answer.data[:120])


@pytest.mark.parametrize("framing", sorted(set(HOSTILE_HEADS) - set(REFUSED_AT_THE_EDGE)))
def test_what_the_edge_passes_on_gets_no_server_error(edge: EdgeConfig, framing: str) -> None:
    for name, edge_port in edge_ports(edge).items():
        # The answer, not the end of the connection: nginx keeps a client's connection open after a 400
        # from the app, as HTTP/1.1 allows.
        answer = answer_head(edge_port, hostile_head(framing, "/health"), timeout=CUT_OFF + 5)
        assert answer.seconds < CUT_OFF, (name, framing)
        assert answer.status is None or answer.status < 500, (name, answer.status)


def test_a_head_sent_a_byte_at_a_time_is_cut_off(edge: EdgeConfig) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    pieces = [head[index : index + 1] for index in range(len(head))]

    def drip(edge_port: int) -> tuple[bool, float, object]:
        answer = exchange(edge_port, pieces, timeout=CUT_OFF + 20, pause=0.2)
        return answer.closed, answer.seconds, answer.status

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(drip, edge_ports(edge).values()))
    for closed, seconds, status in results:
        # 200 bytes at 0.2 s each would take 40 s; the edge gives up after the request timeout.
        assert closed and seconds < CUT_OFF, (closed, seconds, status)
        assert status is None or 400 <= int(status) < 500  # type: ignore[call-overload]


def test_a_body_that_never_arrives_is_cut_off(edge: EdgeConfig) -> None:
    head = b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    answer = exchange(edge.rasa_edge_port, [head + b'{"a"'], timeout=CUT_OFF + 20)
    assert answer.closed and answer.seconds < CUT_OFF
    assert answer.status is None or 400 <= answer.status < 500


@pytest.mark.parametrize(
    "server, path, size_kib",
    [("Rasa server", "/webhooks/rest/webhook", 300), ("bot service", "/api/agents/login", 100)],
)
def test_bodies_larger_than_the_apps_accept_stop_at_the_edge(
    edge: EdgeConfig, server: str, path: str, size_kib: int
) -> None:
    body = b'{"message": "' + b"x" * (size_kib * 1024) + b'"}'
    url = f"http://127.0.0.1:{edge_ports(edge)[server]}{path}"
    response = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413


class _WholeBodyReader(http.server.BaseHTTPRequestHandler):
    """Reads every byte of a post, as the e-mail webhook does before it answers, then refuses it unsigned."""

    received: List[int] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        length = int(self.headers.get("Content-Length", 0))
        read = 0
        while read < length:
            chunk = self.rfile.read(min(65536, length - read))
            if not chunk:
                break
            read += len(chunk)
        type(self).received.append(read)
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_an_inbound_mail_with_attachments_passes_the_edge_up_to_the_webhooks_own_limit(tmp_path: Path) -> None:
    """An upstream of its own that reads the whole post, as the webhook with its channel on does: the Rasa
    server of the shared stack has no e-mail channel, and its 404 comes before the body is read."""
    with _edge_in_front_of(_WholeBodyReader, tmp_path) as config:
        url = f"http://127.0.0.1:{config.rasa_edge_port}/webhooks/email/webhook"
        photo = {"attachment-1": ("photo.jpg", b"p" * (5 * 1024 * 1024), "image/jpeg")}
        passed = requests.post(url, files=photo, timeout=60)
        declared = (EMAIL_MAX_BODY_KIB + 1) * 1024
        head = (
            f"POST /webhooks/email/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        ).encode()
        refused = exchange(config.rasa_edge_port, [head], timeout=QUICKLY + 5)
    # the edge passed the whole post on, and the upstream's answer back
    assert passed.status_code == 401, passed.status_code
    assert _WholeBodyReader.received and _WholeBodyReader.received[-1] > 5 * 1024 * 1024
    # a post announced larger than the webhook's own limit never reaches it
    assert refused.status == 413
    assert len(_WholeBodyReader.received) == 1


def test_a_customer_is_served_through_the_edge(running_stack: Stack, edge: EdgeConfig) -> None:
    url = f"http://127.0.0.1:{edge.rasa_edge_port}/webhooks/rest/webhook"
    sender = f"edge-{uuid.uuid4().hex[:10]}"
    texts: List[str] = []
    for text in ("where is my order ORD-100001?", "maria.keller@example.com"):
        response = requests.post(
            url, json={"sender": sender, "message": text}, headers=running_stack.rest_headers, timeout=60
        )
        assert response.status_code == 200, response.text
        texts = [message.get("text", "") for message in response.json()]
    assert any("DHL" in text for text in texts), texts
    assert requests.get(f"http://127.0.0.1:{edge.service_edge_port}/health", timeout=30).json()["status"] == "ok"
    login = requests.post(
        f"http://127.0.0.1:{edge.service_edge_port}/api/agents/login",
        json={"username": "nobody", "password": "wrong-password"},
        timeout=30,
    )
    assert login.status_code == 401


def test_the_web_chat_socket_upgrades_through_the_edge(running_stack: Stack, edge: EdgeConfig) -> None:
    key = base64.b64encode(os.urandom(16)).decode()
    head = (
        f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{edge.rasa_edge_port}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {running_stack.settings.allowed_origins[0]}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", edge.rasa_edge_port), timeout=10) as sock:
        sock.sendall(head)
        data = b""
        # The 101 head, then the engine.io "open" packet in the first WebSocket frame.
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < 4:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 101"), data[:200]
    frame = rest.partition(b"\r\n\r\n")[2]
    assert frame[2:4] == b"0{", frame[:20]  # opcode and length, then engine.io's OPEN packet


class _HeaderEcho(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.dumps({name.lower(): value for name, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_the_edge_sets_x_forwarded_for_and_drops_what_the_client_claimed(tmp_path: Path) -> None:
    with _edge_in_front_of(_HeaderEcho, tmp_path) as config:
        seen = requests.get(
            f"http://127.0.0.1:{config.rasa_edge_port}/", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10
        ).json()
    assert seen["x-forwarded-for"] == "127.0.0.1"


def test_a_flood_from_one_address_is_rate_limited(running_stack: Stack, tmp_path: Path) -> None:
    """An edge of its own with a small burst, so the other tests' requests never count against it."""
    config = EdgeConfig(
        port(running_stack.rasa_url),
        port(running_stack.service_url),
        free_port(),
        free_port(),
        prefix=tmp_path,
        limits=EdgeLimits(requests_per_second=5, burst=10),
    )
    with _running(config), requests.Session() as session:
        statuses = [
            session.get(f"http://127.0.0.1:{config.service_edge_port}/health", timeout=10).status_code
            for _ in range(40)
        ]
    assert set(statuses) == {200, 429}
    assert statuses[:10] == [200] * 10


def _instance_answering(name: str) -> http.server.ThreadingHTTPServer:
    class Instance(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return _served(Instance)


def test_web_chat_sockets_from_one_address_spread_while_its_polls_stay_on_one_instance(tmp_path: Path) -> None:
    first, second = _instance_answering("first"), _instance_answering("second")
    config = EdgeConfig(
        first.server_address[1],
        first.server_address[1],
        free_port(),
        free_port(),
        prefix=tmp_path,
        more_rasa_ports=(second.server_address[1],),
    )
    url = f"http://127.0.0.1:{config.rasa_edge_port}/socket.io/?EIO=4&transport="
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"}
    try:
        with _running(config):
            sockets = {requests.get(url + "websocket", headers=upgrade, timeout=10).text for _ in range(8)}
            polls = {requests.get(url + "polling", timeout=10).text for _ in range(8)}
    finally:
        first.shutdown()
        second.shutdown()
    assert sockets == {"first", "second"}
    assert len(polls) == 1 and polls <= {"first", "second"}
