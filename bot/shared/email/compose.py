"""A reply in a thread: `Re:` subject, In-Reply-To and References, plain text with a simple HTML part."""

from __future__ import annotations

import html
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Sequence

from bot.shared.email.message_ids import bracketed
from bot.shared.email.threads import Thread

DEFAULT_SUBJECT = "Your message to our support team"


def reply_subject(subject: str) -> str:
    subject = " ".join(subject.split()) or DEFAULT_SUBJECT
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def _html(paragraphs: Sequence[str]) -> str:
    blocks = "".join(
        "<p>" + "<br>".join(html.escape(line) for line in paragraph.splitlines()) + "</p>" for paragraph in paragraphs
    )
    return f'<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">{blocks}</body></html>'


def compose_reply(
    thread: Thread, from_address: str, paragraphs: Sequence[str], message_id: str, now: datetime
) -> EmailMessage:
    message = EmailMessage()
    name, address = parseaddr(from_address)
    message["From"] = formataddr((name, address))
    message["To"] = thread.customer_address
    message["Subject"] = reply_subject(thread.subject) if thread.last_message_id else thread.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{message_id}>"
    if thread.last_message_id:
        message["In-Reply-To"] = f"<{thread.last_message_id}>"
        message["References"] = bracketed(thread.references)
    # the assistant answers; automatic replies from the customer's side should not start a loop
    message["Auto-Submitted"] = "auto-replied"
    message.set_content("\n\n".join(paragraphs) + "\n")
    message.add_alternative(_html(paragraphs), subtype="html")
    return message
