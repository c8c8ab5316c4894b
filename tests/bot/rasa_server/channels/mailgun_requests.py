"""Inbound mails posted as Mailgun posts them: a multipart form, signed with the webhook signing key."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

import requests

from bot.shared.email.signature import mailgun_signature

SIGNING_KEY = "test-mailgun-signing-key-0123456789abcdef"
SUPPORT_ADDRESS = "support@shop.example"


@dataclass
class Mail:
    sender: str
    subject: str
    text: str
    message_id: str = field(default_factory=lambda: f"{uuid.uuid4().hex}@customer.example")
    in_reply_to: Optional[str] = None
    references: Tuple[str, ...] = ()

    def headers(self) -> List[List[str]]:
        headers = [["From", self.sender], ["To", SUPPORT_ADDRESS], ["Subject", self.subject]]
        headers.append(["Message-Id", f"<{self.message_id}>"])
        if self.in_reply_to:
            headers.append(["In-Reply-To", f"<{self.in_reply_to}>"])
        if self.references:
            headers.append(["References", " ".join(f"<{ref}>" for ref in self.references)])
        return headers


def signed_fields(
    key: str = SIGNING_KEY, timestamp: Optional[int] = None, token: Optional[str] = None
) -> Dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    token = token or secrets.token_hex(25)
    return {"timestamp": stamp, "token": token, "signature": mailgun_signature(key, stamp, token)}


def form(mail: Mail, signature: Dict[str, str]) -> Dict[str, str]:
    return {
        "sender": mail.sender,
        "from": mail.sender,
        "recipient": SUPPORT_ADDRESS,
        "subject": mail.subject,
        "body-plain": mail.text,
        "stripped-text": "",
        "message-headers": json.dumps(mail.headers()),
        **signature,
    }


def post(rasa_url: str, fields: Dict[str, str], attachments: Sequence[Tuple[str, bytes]] = ()) -> requests.Response:
    # Mailgun posts multipart/form-data; (None, value) makes requests send plain fields that way, and each
    # file as `attachment-1`, `attachment-2`, ...
    parts: List[Tuple[str, Tuple[Optional[str], Union[str, bytes]]]] = [
        (name, (None, value)) for name, value in fields.items()
    ]
    parts += [(f"attachment-{number}", file) for number, file in enumerate(attachments, start=1)]
    return requests.post(f"{rasa_url}/webhooks/email/webhook", files=parts, timeout=120)


def send(rasa_url: str, mail: Mail, attachments: Sequence[Tuple[str, bytes]] = ()) -> requests.Response:
    return post(rasa_url, form(mail, signed_fields()), attachments)


def reply_to(previous_message_id: str, references: Tuple[str, ...], sender: str, subject: str, text: str) -> Mail:
    return Mail(sender, subject, text, in_reply_to=previous_message_id, references=(*references, previous_message_id))
