"""Mails queued straight into the outbox, as the Rasa server or the action server queue them."""

from __future__ import annotations

from email.message import EmailMessage
from typing import List

from sqlalchemy.engine import Engine

from bot.shared.clock import utc_now
from bot.shared.email.message_ids import new_message_id
from bot.shared.email.outbox import enqueue

FROM = "Shop support <support@shop.example>"


def queue_mails(engine: Engine, count: int) -> List[str]:
    """Queues `count` mails to distinct customers; their Message-Ids, without brackets."""
    ids = []
    with engine.begin() as connection:
        for number in range(count):
            message_id = new_message_id(FROM)
            message = EmailMessage()
            message["From"], message["To"] = FROM, f"customer-{number}@example.com"
            message["Subject"], message["Message-ID"] = f"Reply {number}", f"<{message_id}>"
            message.set_content(f"answer number {number}")
            assert enqueue(
                connection, f"test:{message_id}", f"customer-{number}@example.com", message.as_string(), utc_now()
            )
            ids.append(message_id)
    return ids
