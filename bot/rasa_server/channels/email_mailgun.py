"""Mailgun's inbound route (a signed form POST) as an e-mail channel connector."""

from __future__ import annotations

import asyncio
import json
import time
from email.utils import parseaddr
from typing import Dict, Optional

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.email_channel import EmailInput
from bot.rasa_server.channels.email_post import InboundPost
from bot.rasa_server.channels.email_reply_text import new_text
from bot.shared.email.inbound import InboundMail
from bot.shared.email.message_ids import message_ids
from bot.shared.email.replay_guard import SeenTokens
from bot.shared.email.signature import is_valid_mailgun_signature
from bot.store.identifiers import is_plausible_email, normalise_email


def _headers(form_value: Optional[str]) -> Dict[str, str]:
    """Mailgun's `message-headers`: a JSON list of [name, value] pairs; names compared case-insensitively."""
    try:
        pairs = json.loads(form_value or "[]")
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
        return {}
    headers: Dict[str, str] = {}
    if isinstance(pairs, list):
        for pair in pairs:
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair):
                headers.setdefault(pair[0].lower(), pair[1])
    return headers


class MailgunEmailInput(EmailInput):
    async def authenticate(self, request: Request, post: InboundPost) -> Optional[HTTPResponse]:
        timestamp, token, signature = post.get("timestamp"), post.get("token"), post.get("signature")
        if not is_valid_mailgun_signature(self.settings.signing_key, timestamp, token, signature, time.time()):
            return response.text("invalid or missing signature", status=401)
        assert token is not None
        if not await asyncio.to_thread(SeenTokens(self.engine).accept, token, self.clock()):
            return response.text("this request was seen before", status=403)
        return None

    def read_mail(self, post: InboundPost) -> Optional[InboundMail]:
        headers = _headers(post.get("message-headers"))
        # `sender` is the envelope sender; `from` the header, which is what a customer sees and replies to
        address = parseaddr(post.get("from") or post.get("sender") or "")[1]
        own_ids = message_ids(headers.get("message-id"))
        if not is_plausible_email(address) or not own_ids:
            return None
        return InboundMail(
            sender=normalise_email(address),
            subject=(post.get("subject") or "").strip(),
            text=new_text(post.get("stripped-text"), post.get("body-plain")),
            message_id=own_ids[0],
            in_reply_to=message_ids(headers.get("in-reply-to")),
            references=message_ids(headers.get("references")),
            # Mailgun posts each file as a part `attachment-1`, `attachment-2`, ...; the post kept none of them
            attachments=tuple(post.attachments),
        )
