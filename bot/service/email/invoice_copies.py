"""The invoice copies the store queues (its `email_outbox` table) moved into the mail outbox, each once."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.shared.email.message_ids import new_message_id
from bot.shared.email.outbox import enqueue
from bot.shared.email.tables import outbox
from bot.store.tables import email_outbox

SOURCE_PREFIX = "invoice:"


def _message(from_address: str, recipient: str, subject: str, body: str, now: datetime) -> str:
    message = EmailMessage()
    message["From"] = from_address
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{new_message_id(from_address)}>"
    message.set_content(body)
    return message.as_string()


def import_invoice_copies(engine: Engine, from_address: str, now: datetime) -> int:
    """How many new copies were queued; a copy already in the mail outbox is skipped by its source key."""
    with engine.begin() as connection:
        queued = set(
            connection.execute(
                select(outbox.c.source_key).where(outbox.c.source_key.like(f"{SOURCE_PREFIX}%"))
            ).scalars()
        )
        count = 0
        for row in connection.execute(select(email_outbox).order_by(email_outbox.c.id)).all():
            key = f"{SOURCE_PREFIX}{row.id}"
            if key in queued:
                continue
            message = _message(from_address, row.recipient, row.subject, row.body, now)
            count += enqueue(connection, key, row.recipient, message, now)
        return count
