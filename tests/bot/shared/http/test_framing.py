"""Request heads whose body framing is unambiguous pass; every other framing is named as the problem."""

from __future__ import annotations

from typing import Optional

import pytest

from bot.shared.http.framing import framing_problem


@pytest.mark.parametrize(
    "head",
    [
        b"GET / HTTP/1.1\r\nHost: x",
        b"GET /webhooks/rest/webhook?stream=true&x=%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1:5005",
        b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nContent-Type: application/json",
        b"POST /webhook HTTP/1.0\r\nContent-Length:0",
        b"POST /webhook HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5",
        b"POST /webhook HTTP/1.1\r\nTransfer-Encoding: chunked",
        b"GET / HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\tTab",
        "GET / HTTP/1.1\r\nX-Name: Zoë".encode(),
    ],
)
def test_a_well_framed_head_passes(head: bytes) -> None:
    assert framing_problem(head) is None


@pytest.mark.parametrize(
    "head, problem",
    [
        (b"POST / HTTP/1.1\r\nContent-Length: -1", "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length: abc", "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length: +3", "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length: 1_000", "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length: 3, 3", "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length:", "whole number"),
        ("POST / HTTP/1.1\r\nContent-Length: ٣".encode(), "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length: 1234567890123456", "whole number"),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4", "conflicting"),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked", "together"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3", "together"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip", "chunked"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked", "chunked"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked", "chunked"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: Chunked", "chunked"),
        (b"GET /\xff HTTP/1.1", "UTF-8"),
        ("GET /é HTTP/1.1".encode(), "path"),
        (b"GET /a\x01b HTTP/1.1", "path"),
        (b"GET /a b HTTP/1.1", "request line"),
        (b"GET / HTTP/2.0", "request line"),
        (b"GET /", "request line"),
        (b"G(T / HTTP/1.1", "request line"),
        (b"GET / HTTP/1.1\r\nContent-Length : 3", "Name: value"),
        (b"GET / HTTP/1.1\r\n Folded: value", "Name: value"),
        (b"GET / HTTP/1.1\r\nno colon here", "Name: value"),
        (b"GET / HTTP/1.1\r\nHost: x\nContent-Length: 3", "control"),
        (b"GET / HTTP/1.1\r\nHost: x\rY", "control"),
        (b"GET / HTTP/1.1\r\nX-Token: \x00", "control"),
        (b"GET / HTTP/1.1\r\nAuthorization: Bearer \xff\xfe", "UTF-8"),
    ],
)
def test_an_ambiguous_or_malformed_head_is_named(head: bytes, problem: Optional[str]) -> None:
    found = framing_problem(head)
    assert found is not None and problem in found, found
