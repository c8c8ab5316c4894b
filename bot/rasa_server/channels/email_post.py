"""An inbound mail's POST, read as it arrives: text fields kept, attachments counted and dropped.

A provider posts a mail with its files (a customer's photo is easily several MB), while the Rasa server
reads at most 256 KiB of any other post. So this route streams its body: a multipart part with a file name
is read through and dropped, only its name and size kept; a text field is kept up to FIELD_BYTES (a longer
one is cut, and the customer's new words come first in it); the whole post may be up to TOTAL_BYTES and
must arrive within BODY_SECONDS. A body that is not multipart (a provider posting JSON or a plain form) is
read whole up to OTHER_BODY_BYTES. Nothing here looks at what the fields say: the provider's connector
checks the signature next, before anything is looked up or answered.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Dict, List, Optional
from urllib.parse import parse_qsl

from multipart import MultipartError, MultipartSegment, ParserLimitReached, PushMultipartParser, parse_options_header
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

from bot.shared.email.attachments import MAX_NAME_LENGTH
from bot.shared.email.inbound import DroppedAttachment
from bot.shared.http.guard import allow_large_body

# Mailgun accepts mails of up to 25 MB; the rest leaves room for the form's text and HTML bodies beside the files.
TOTAL_BYTES = 40 * 1024 * 1024
FIELD_BYTES = 64 * 1024
OTHER_BODY_BYTES = 256 * 1024
MAX_PARTS = 200
BODY_SECONDS = 60.0
_MULTIPART = "multipart/form-data"
_FORM = "application/x-www-form-urlencoded"


class PostTooLarge(Exception):
    """Answered with 413."""


class MalformedPost(Exception):
    """Answered with 400."""


@dataclass
class InboundPost:
    fields: Dict[str, str] = field(default_factory=dict)
    # names of the text fields longer than FIELD_BYTES, kept cut
    cut_fields: List[str] = field(default_factory=list)
    attachments: List[DroppedAttachment] = field(default_factory=list)
    # the body itself when it was not multipart (JSON, a plain form), for a provider that signs the body
    body: bytes = b""
    content_type: str = ""

    def get(self, name: str) -> Optional[str]:
        return self.fields.get(name)


def _decode(data: bytes, charset: Optional[str], cut: bool) -> str:
    try:
        decoder = codecs.getincrementaldecoder(charset or "utf-8")(errors="replace")
    except LookupError:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    # a cut field may end inside a character: final=False leaves that half out rather than garbling it
    return str(decoder.decode(data, final=not cut))


def _clean_name(name: Optional[str]) -> str:
    printable = "".join(character for character in (name or "") if character.isprintable())
    return printable.strip()[:MAX_NAME_LENGTH]


class _Parts:
    """Receives the parser's events: a segment, its body chunks, then None at its end."""

    def __init__(self, post: InboundPost) -> None:
        self._post = post
        self._segment: Optional[MultipartSegment] = None
        self._kept = bytearray()
        self._cut = False

    def take(self, event: object) -> None:
        if isinstance(event, MultipartSegment):
            self._segment, self._kept, self._cut = event, bytearray(), False
        elif isinstance(event, (bytes, bytearray, memoryview)):
            if self._segment is not None and self._segment.filename is None and not self._cut:
                room = FIELD_BYTES - len(self._kept)
                self._kept += bytes(event[:room])
                self._cut = len(event) > room
        elif event is None and self._segment is not None:
            self._finish(self._segment)
            self._segment = None

    def _finish(self, segment: MultipartSegment) -> None:
        if segment.filename is not None:
            self._post.attachments.append(DroppedAttachment(_clean_name(segment.filename), int(segment.size)))
            return
        name = segment.name or ""
        if name in self._post.fields:
            return  # the first of two fields with one name counts, as Sanic's own form reading does
        self._post.fields[name] = _decode(bytes(self._kept), segment.charset, self._cut)
        if self._cut:
            self._post.cut_fields.append(name)


async def _multipart(request: Request, boundary: str, post: InboundPost) -> None:
    parts = _Parts(post)
    try:
        with PushMultipartParser(boundary, max_segment_count=MAX_PARTS) as parser:
            async for chunk in request.stream:  # type: ignore[union-attr]
                for event in parser.parse(chunk):
                    parts.take(event)
            for event in parser.parse(b""):
                parts.take(event)
    except ParserLimitReached:
        raise PostTooLarge(f"a mail may have at most {MAX_PARTS} parts, each part header at most 4 KiB") from None
    except MultipartError:
        raise MalformedPost("the multipart body could not be read") from None


async def _whole(request: Request, post: InboundPost) -> None:
    allow_large_body(request.stream, OTHER_BODY_BYTES, BODY_SECONDS)
    chunks = [chunk async for chunk in request.stream]  # type: ignore[union-attr]
    post.body = b"".join(chunks)
    if post.content_type == _FORM:
        text = post.body.decode("utf-8", errors="replace")
        for name, value in parse_qsl(text, keep_blank_values=True):
            post.fields.setdefault(name, value[:FIELD_BYTES])


async def read_post(request: Request) -> InboundPost:
    """The post, read within the limits above; PostTooLarge or MalformedPost when it cannot be."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    post = InboundPost(content_type=content_type)
    declared = request.headers.get("content-length", "")
    limit = TOTAL_BYTES if content_type == _MULTIPART else OTHER_BODY_BYTES
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    if request.stream is None:
        return post
    try:
        if content_type == _MULTIPART:
            boundary = options.get("boundary")
            if not boundary:
                raise MalformedPost("the multipart body has no boundary")
            allow_large_body(request.stream, TOTAL_BYTES, BODY_SECONDS)
            await _multipart(request, boundary, post)
        else:
            await _whole(request, post)
    except PayloadTooLarge:
        raise _too_large(limit) from None
    return post


def _too_large(limit: int) -> PostTooLarge:
    if limit >= 1024 * 1024:
        return PostTooLarge(f"this post may be at most {limit // (1024 * 1024)} MiB")
    return PostTooLarge(f"this post may be at most {limit // 1024} KiB")
