"""Hypothesis strategies for hostile requests: odd methods, path parameters, queries, headers and bodies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, List, Tuple
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from tests.support.fuzz_routes import Route

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND")
# Field names the routes read, so that generated objects get past "must be an object" into the handlers.
FIELDS = (
    "sender",
    "message",
    "metadata",
    "username",
    "password",
    "status",
    "text",
    "outcome",
    "conversation_id",
    "channel",
    "reason",
    "slots",
    "intents",
    "email",
    "rating",
    "comment",
    "next_action",
    "tracker",
    "domain",
    "version",
    "sender_id",
    "events",
    "event",
    "name",
    "timestamp",
    "entities",
    "policy",
    "confidence",
    "object",
    "entry",
    "messaging",
    "update_id",
    "chat",
    "from",
    "type",
    "challenge",
    "payload",
    "token",
    "parse_data",
    "intent",
    "value",
    "message_id",
    "session_id",
    "From",
    "Body",
    "To",
)
QUERY_KEYS = (
    "from",
    "to",
    "q",
    "metric",
    "interval",
    "channel",
    "language",
    "status",
    "ticket",
    "token",
    "stream",
    "include_events",
    "until",
    "output_channel",
    "execute_side_effects",
    "EIO",
    "transport",
    "sid",
    "t",
    "hub.mode",
    "hub.verify_token",
    "hub.challenge",
    "emulation_mode",
)
CONTENT_TYPES = (
    None,
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "application/x-yaml",
    "text/yaml",
)
_KIB = 1024
# Bodies no generator would stumble on: empty and wrong-type JSON, nesting far past any parser's stack,
# numbers too long or too big to convert, broken escapes and UTF-8, and sizes around each server's limit.
SPECIAL_BODIES = (
    b"",
    b"null",
    b"[]",
    b"1",
    b'"x"',
    b"true",
    b"{",
    b"{not json",
    b"NaN",
    b"-Infinity",
    b"[" * 20_000 + b"]" * 20_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b"1" + b"0" * 50_000,
    b"1e999999",
    b'{"sender": 1e999, "message": -1e999, "rating": 123456789012345678901234567890}',
    b'"\\ud800"',
    b'{"sender": "\\udfff", "message": "\\ud800x"}',
    b'{"text": "\\u0000"}',
    b"\xff\xfe\xfd",
    b'{"sender": "\xff", "message": "\xc0\xaf"}',
    b'{"text": "\xed\xa0\x80"}',
    b'{"message": "' + b"x" * (70 * _KIB) + b'"}',
    b'{"message": "' + b"x" * (300 * _KIB) + b'"}',
    b"x" * (1100 * _KIB),
    b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    b'--x\r\nContent-Disposition: form-data; name="f"; filename="../../x"\r\n\r\n\xff\r\n',
    b"%FF=%FE&&&==&payload=%7B&From=%ED%A0%80",
    b"payload=" + b"%5B" * 3_000,
)
HOSTILE_SEGMENTS = (
    b"",
    b"..",
    b"..%2F..%2Fetc%2Fpasswd",
    b"%2e%2e%2f%2e%2e",
    b"%00",
    b"%FF%FE",
    b"%ED%A0%80",
    b"%C0%AF",
    b"-1",
    b"0",
    b"2147483648",
    b"9223372036854775808",
    b"18446744073709551616",
    b"1" + b"0" * 400,
    b"1e309",
    b"NaN",
    b"x" * 9_000,
    b"%20",
    b"a%2Fb",
    b"%25",
    b"%",
)
HOSTILE_QUERIES = (b"%FF", b"a=%ED%A0%80", b"&&==&", b"a" * 9_000, b"status=%00", b"stream=true&stream=false")

# Any code point, lone surrogates included: they reach the servers as \\ud800 escapes or as invalid UTF-8.
_ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
_TEXT = st.text(_ANY_CHARACTER, max_size=40)
_NUMBERS = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**31, 2**63, 2**64, -(2**63) - 1, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
)
_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT)
_KEYS = st.one_of(st.sampled_from(FIELDS), _TEXT)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=5)),
    max_leaves=12,
)
REQUEST_OBJECTS = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=6)


@dataclass(frozen=True)
class HostileRequest:
    """What the fuzz chose for one request; the credential is named here and turned into headers by the test."""

    method: str
    target: bytes
    content_type: Any
    headers: Tuple[Tuple[bytes, bytes], ...]
    body: bytes
    auth: str  # none, wrong, undecodable or valid


def _encoded(text: str) -> bytes:
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="").encode()


def _json_bytes(value: Any, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def bodies() -> st.SearchStrategy[bytes]:
    objects = st.builds(_json_bytes, REQUEST_OBJECTS, st.booleans())
    anything = st.builds(_json_bytes, JSON_VALUES, st.booleans())
    forms = st.lists(st.tuples(st.sampled_from(FIELDS), _TEXT), max_size=5).map(
        lambda pairs: b"&".join(_encoded(key) + b"=" + _encoded(value) for key, value in pairs)
    )
    return st.one_of(objects, objects, anything, forms, st.sampled_from(SPECIAL_BODIES), st.binary(max_size=64))


def segments(parameter: str) -> st.SearchStrategy[bytes]:
    """A value for one path parameter of the router's form `<name:type>`."""
    numbers = st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: str(n).encode())
    texts = _TEXT.map(_encoded)
    hostile = st.sampled_from(HOSTILE_SEGMENTS)
    choices = re.fullmatch(r"<\w+:\((.*)\)>", parameter)
    if choices:  # a route that names its files: those names too, and what is next to them
        names = [name.replace("\\", "") for name in choices.group(1).split("|")]
        return st.one_of(st.sampled_from([name.encode() for name in names]), hostile, texts)
    if parameter.endswith(":path>"):
        deep = st.lists(st.one_of(hostile, texts), min_size=2, max_size=5).map(b"/".join)
        return st.one_of(hostile, texts, deep, st.just(b"../../../../etc/passwd"), st.just(b"app.js"))
    if parameter.endswith(":int>"):
        return st.one_of(numbers, hostile, st.sampled_from([b"1", b"2", b"3"]))
    return st.one_of(texts, hostile, numbers)


def paths(route: Route) -> st.SearchStrategy[bytes]:
    parts: List[st.SearchStrategy[bytes]] = [
        segments(part) if part.startswith("<") else st.just(part.encode()) for part in route.path.split("/")
    ]
    return st.tuples(*parts).map(lambda chosen: b"/" + b"/".join(chosen))


def queries() -> st.SearchStrategy[bytes]:
    pair = st.tuples(st.one_of(st.sampled_from(QUERY_KEYS), _TEXT), st.one_of(_TEXT, _NUMBERS.map(str)))
    generated = st.lists(pair, max_size=4).map(
        lambda pairs: b"&".join(_encoded(key) + b"=" + _encoded(value) for key, value in pairs)
    )
    return st.one_of(st.just(b""), generated, generated, st.sampled_from(HOSTILE_QUERIES))


def extra_headers() -> st.SearchStrategy[Tuple[Tuple[bytes, bytes], ...]]:
    # Printable values: a control character gets the whole head refused by the framing guard (a test of its
    # own in tests/security), and the request would never reach the route under test.
    printable = st.characters(codec=None, exclude_categories=("Cc",))
    value = st.text(printable, max_size=40).map(lambda text: text.encode("utf-8", "surrogatepass"))
    candidates = st.sampled_from(
        [
            b"Origin",
            b"X-Chat-Session-Proof",
            b"X-Hub-Signature-256",
            b"X-Twilio-Signature",
            b"Content-Encoding",
            b"X-Telegram-Bot-Api-Secret-Token",
            b"X-Slack-Signature",
            b"X-Slack-Request-Timestamp",
            b"Range",
            b"X-Forwarded-For",
            b"Cookie",
            b"Accept",
            b"Upgrade",
            b"Sec-WebSocket-Version",
            b"If-Modified-Since",
        ]
    )
    fixed = st.sampled_from(
        [
            (b"Content-Encoding", b"deflate"),
            (b"Content-Encoding", b"gzip"),
            (b"Range", b"bytes=9999999-"),
            (b"Range", b"bytes=5-1"),
            (b"Upgrade", b"websocket"),
            (b"Origin", b"https://evil.example"),
            (b"X-Slack-Request-Timestamp", b"99999999999999999999"),
        ]
    )
    return st.lists(st.one_of(st.tuples(candidates, value), fixed), max_size=3).map(tuple)


@st.composite
def hostile_requests(draw: st.DrawFn, route: Route) -> HostileRequest:
    # Mostly the route's own methods, so that most requests reach its handler (Hypothesis does not draw the
    # branches of one_of evenly; a number drawn from 0 to 9 splits them 8 to 2).
    choice, own, other = draw(st.tuples(st.integers(0, 9), st.sampled_from(route.methods), st.sampled_from(METHODS)))
    method = own if choice < 8 else other
    path = draw(paths(route))
    query = draw(queries())
    auth_choices = ["none", "wrong", "undecodable"]
    if route.credential and route.fuzz_with_credential:
        auth_choices += ["valid"] * 3
    return HostileRequest(
        method=method,
        target=path + (b"?" + query if query else b""),
        content_type=draw(st.sampled_from(CONTENT_TYPES)),
        headers=draw(extra_headers()),
        body=draw(bodies()),
        auth=draw(st.sampled_from(auth_choices)),
    )
