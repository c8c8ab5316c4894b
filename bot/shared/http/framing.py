"""Whether an HTTP/1.1 request head frames its body unambiguously: checked on the raw bytes, before Sanic parses them.

Sanic 21.12 trusts the head: `Content-Length: -1` spins its event loop forever, a non-numeric length is
a 500, two lengths or a length beside `Transfer-Encoding` are read by whichever header comes first, and
non-ASCII bytes in the path drop the connection without an answer, and an Accept header it cannot parse
makes its error pages fail. Each of these is refused here.
"""

from __future__ import annotations

import re
from typing import List, Optional

# RFC 9110 `token`: method and header names.
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# A request target is visible ASCII; anything else must be percent-encoded by the client.
_TARGET = re.compile(rb"[\x21-\x7e]+")
_VERSION = re.compile(rb"HTTP/1\.[01]")
# Field values may hold tabs and visible characters, never other control characters (a bare CR or LF
# would make the next hop see a header this server did not).
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
# Fifteen digits are far beyond any body a server here accepts (413), and keep the number exact.
_LENGTH = re.compile(rb"[0-9]{1,15}")


def framing_problem(head: bytes) -> Optional[str]:
    """What is wrong with a request head (request line and header lines, without the blank line), or None."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "the request head is not UTF-8"
    request_line, *header_lines = head.split(b"\r\n")
    parts = request_line.split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not _VERSION.fullmatch(parts[2]):
        return "the request line is not `METHOD /path HTTP/1.1`"
    if not _TARGET.fullmatch(parts[1]):
        return "the path must be ASCII without spaces or control characters (percent-encode the rest)"
    lengths: List[bytes] = []
    encodings: List[bytes] = []
    for line in header_lines:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            return "a header line is not `Name: value`"
        if _CONTROL.search(value):
            return "a header value holds control characters"
        name = name.lower()
        if name == b"content-length":
            lengths.append(value.strip(b" \t"))
        elif name == b"transfer-encoding":
            # Sanic compares the value with `chunked` after stripping the left side only.
            encodings.append(value.lstrip(b" \t"))
        elif name == b"accept" and not _is_media_range_list(value):
            return "the Accept header is not a list of media types"
    return _body_framing_problem(lengths, encodings)


def _is_media_range_list(value: bytes) -> bool:
    """Sanic parses Accept when it renders an error page, and one it cannot parse ("0") turned a 404 into a 500."""
    from sanic.exceptions import InvalidHeader
    from sanic.headers import parse_accept

    try:
        parse_accept(value.decode("utf-8").strip())
    except (InvalidHeader, ValueError):
        return False
    return True


def _body_framing_problem(lengths: List[bytes], encodings: List[bytes]) -> Optional[str]:
    if lengths and encodings:
        return "Content-Length and Transfer-Encoding together"
    if encodings and encodings != [b"chunked"]:
        return "the only Transfer-Encoding accepted is a single `chunked`"
    if not all(_LENGTH.fullmatch(length) for length in lengths):
        return "Content-Length must be a whole number of bytes"
    if len({int(length) for length in lengths}) > 1:
        return "conflicting Content-Length headers"
    return None
