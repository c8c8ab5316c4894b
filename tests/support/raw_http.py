"""Raw bytes to an HTTP server and whatever comes back, for requests no HTTP client library would send."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from typing import Optional, Sequence

HOSTILE_HEADS = {
    "negative Content-Length": b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nabc",
    "non-numeric Content-Length": b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nabc",
    "signed Content-Length": b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc",
    "conflicting Content-Length": b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 10\r\n\r\nabc",
    "Content-Length list": b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc",
    "Content-Length with Transfer-Encoding": (
        b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    ),
    "unknown Transfer-Encoding": b"POST /PATH HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
    "non-ASCII path": b"GET /PATH\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    "UTF-8 path": "GET /PATH/é HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
    "space before the colon": b"POST /PATH HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc",
    "bare LF in a header": b"GET /PATH HTTP/1.1\r\nHost: x\nContent-Length: 3\r\n\r\n",
    "invalid UTF-8 header": b"GET /PATH HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n\r\n",
}


@dataclass(frozen=True)
class RawAnswer:
    status: Optional[int]
    data: bytes
    seconds: float
    closed: bool

    @property
    def body(self) -> bytes:
        return self.data.partition(b"\r\n\r\n")[2]


def hostile_head(name: str, path: str) -> bytes:
    return HOSTILE_HEADS[name].replace(b"/PATH", path.encode(), 1)


def exchange(port: int, pieces: Sequence[bytes], timeout: float = 15.0, pause: float = 0.0) -> RawAnswer:
    """Sends the pieces (with `pause` seconds between them), then reads until the server closes or `timeout` passes.

    Sending stops early when the server has closed the connection already."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        for index, piece in enumerate(pieces):
            if index and pause:
                time.sleep(pause)
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):  # the server answered and closed before the end
                break
        data = b""
        closed = False
        while True:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
    status_line = data.split(b"\r\n", 1)[0].split(b" ")
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
    return RawAnswer(status, data, time.monotonic() - started, closed)
