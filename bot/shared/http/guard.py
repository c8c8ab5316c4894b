"""A guard in front of Sanic's HTTP/1.1 parser, installed by each server's launcher before it serves.

Two things Sanic 21.12 does not do: refuse a request whose head frames its body ambiguously
(bot/shared/http/framing.py) before reading any of the body, and give up on a request that does not
arrive. Sanic's request timeout covers only the head, and starts again with every byte; once the head is
read, a client that announces more bytes than it sends holds the connection until the response timeout
(60 s, an hour on the Rasa server). Here the head must be complete within REQUEST_TIMEOUT of its first
bytes and the body within REQUEST_TIMEOUT of the head, or the request gets 408 and the connection is
closed.

A refused head gets a short `400 Bad Request` written straight to the socket, and the connection is
closed: no route, middleware or error handler of the app runs for a request that cannot be parsed safely.
"""

from __future__ import annotations

import asyncio
import logging
from time import monotonic
from typing import NoReturn, Optional

from sanic.exceptions import InvalidUsage, RequestTimeout
from sanic.http import Http, Stage
from sanic.server.protocols import http_protocol

from bot.shared.http.framing import framing_problem

logger = logging.getLogger(__name__)

# Seconds for a whole request head, and again for its body once the head has arrived. Customer messages,
# webhooks and action calls are small (256 KiB at most, 1 MiB for the action server; an inbound mail with
# its attachments streams for longer, see allow_large_body).
REQUEST_TIMEOUT_SECONDS = 10
# Sanic closes a connection that looks idle for KEEP_ALIVE_TIMEOUT (5 s by default). Under load its event
# loop is busy for longer than that, and connections whose request had not been read yet were closed:
# Rasa's action calls failed with "Cannot write to closing transport" and 36% of conversations went wrong
# at 200 concurrent. With 75 s (longer than aiohttp's own 15 s keep-alive) none did.
KEEP_ALIVE_TIMEOUT_SECONDS = 75


class MalformedRequest(InvalidUsage):
    """A request head this server will not try to read a body after; it has been answered already."""


class GuardedHttp(Http):
    """Sanic's HTTP/1.1 handler with the framing check before the head is parsed and a deadline on the body."""

    __slots__ = ("body_deadline",)

    async def http1_request_header(self) -> None:
        self.body_deadline = float("inf")
        head = await self._complete_head()
        if head is not None:
            problem = framing_problem(head)
            if problem is not None:
                await self._refuse(problem)
        # Sanic 21.12 leaves this method unannotated
        await super().http1_request_header()  # type: ignore[no-untyped-call]
        self.body_deadline = monotonic() + self.protocol.request_timeout

    async def _complete_head(self) -> Optional[bytes]:
        """The request head once it is all in the buffer; None when it outgrows Sanic's limit (Sanic answers 413)."""
        # Sanic's own request timeout restarts with every byte received, so a head sent a byte at a time
        # would hold the connection for hours; this deadline does not move.
        deadline = monotonic() + self.protocol.request_timeout
        buffer = self.recv_buffer
        position = 0
        while True:
            position = buffer.find(b"\r\n\r\n", position)
            if position != -1:
                return bytes(buffer[:position])
            position = max(0, len(buffer) - 3)
            if position >= self.HEADER_MAX_SIZE:
                return None
            try:
                await asyncio.wait_for(self._receive_more(), timeout=max(0.0, deadline - monotonic()))
            except asyncio.TimeoutError:
                raise RequestTimeout("the request head did not arrive in time") from None

    async def _refuse(self, problem: str) -> NoReturn:
        logger.info("Refused a malformed request: %s", problem)
        body = f"Bad request: {problem}\n".encode()
        # FAILED: Sanic's error path then writes nothing more, and the connection closes after this answer.
        self.keep_alive = False
        self.stage = Stage.FAILED
        await self._send(
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%b" % (len(body), body)
        )
        raise MalformedRequest(problem)

    async def read(self) -> Optional[bytes]:
        # A streaming handler lifts the size limit and reads at its own pace unless it sets both again
        # (allow_large_body).
        if self.request_max_size == float("inf") or self._rest_is_buffered():
            return await super().read()
        try:
            return await asyncio.wait_for(super().read(), timeout=max(0.0, self.body_deadline - monotonic()))
        except asyncio.TimeoutError:
            self.keep_alive = False
            self.request_body = None
            if self.stage is Stage.HANDLER:
                raise RequestTimeout("the request body did not arrive in time") from None
            return None

    def _rest_is_buffered(self) -> bool:
        left = self.request_bytes_left
        return self.request_body is True and left is not None and len(self.recv_buffer) >= left


def allow_large_body(stream: object, max_bytes: int, seconds: float) -> None:
    """For a streaming handler (an inbound mail with attachments): the body may be up to `max_bytes` and must
    arrive within `seconds` of now; Sanic answers 413 past the size, the guard 408 past the time."""
    stream.request_max_size = max_bytes  # type: ignore[attr-defined]
    if isinstance(stream, GuardedHttp):
        stream.body_deadline = monotonic() + seconds


# The protocol module imports `Http` without re-exporting it, so mypy does not see the name; replacing it
# there is what makes every server in the process use the guard.
def install() -> None:
    """Every Sanic server started afterwards in this process uses the guard (websocket connections too)."""
    http_protocol.Http = GuardedHttp  # type: ignore[attr-defined]


def uninstall() -> None:
    http_protocol.Http = Http  # type: ignore[attr-defined]
