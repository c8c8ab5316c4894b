"""One well-framed HTTP/1.1 request built from raw bytes, and the status line of its answer.

HTTP client libraries percent-encode, normalise or refuse what a hostile client sends as it is (invalid
UTF-8 in a query or a header, odd methods), so the fuzz writes the request itself. The framing is always
correct (one Content-Length that matches the body, `Connection: close`): what is hostile is the content.
"""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

HEAD_END = b"\r\n\r\n"


@dataclass(frozen=True)
class FramedRequest:
    method: bytes
    target: bytes  # path and query, already percent-encoded where the fuzz wants it
    headers: Tuple[Tuple[bytes, bytes], ...]
    body: bytes

    def to_bytes(self, port: int) -> bytes:
        lines = [self.method + b" " + self.target + b" HTTP/1.1", b"Host: 127.0.0.1:%d" % port, b"Connection: close"]
        lines += [name + b": " + value for name, value in self.headers]
        lines.append(b"Content-Length: %d" % len(self.body))
        return b"\r\n".join(lines) + HEAD_END + self.body

    def describe(self) -> str:
        """A short line for a failure message: method, target and body size, cut to a readable length."""
        target = self.target.decode("ascii", "backslashreplace")
        return f"{self.method.decode('ascii', 'replace')} {target[:160]} ({len(self.body)} body bytes)"


@dataclass(frozen=True)
class Answer:
    status: Optional[int]  # None: the connection closed or timed out before a status line
    seconds: float


def send(port: int, request: FramedRequest, timeout: float = 60.0) -> Answer:
    """Sends the request and reads until the answer's head is in; the body is not needed to judge it.

    Stopping at the head also ends streams (server-sent events, a websocket upgrade) that never close.
    """
    return answer_head(port, request.to_bytes(port), timeout)


def answer_head(port: int, data: bytes, timeout: float = 60.0) -> Answer:
    """Sends raw bytes and reads until the head of the answer is in, the connection closes, or `timeout` passes."""
    started = time.monotonic()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # the server may answer (413, 400) before reading everything; read what it said
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        while HEAD_END not in received:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            received += chunk
    return Answer(status_of(received), time.monotonic() - started)


def status_of(data: bytes) -> Optional[int]:
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    if len(parts) > 1 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


def header_pairs(headers: Mapping[str, str]) -> Tuple[Tuple[bytes, bytes], ...]:
    return tuple((name.encode(), value.encode()) for name, value in headers.items())
