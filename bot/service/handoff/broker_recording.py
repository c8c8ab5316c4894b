"""Hands a customer message read from Rasa's event broker to the desk, whichever broker it came from."""

from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.exc import DataError

from bot.service.handoff.broker_events import CustomerMessage
from bot.service.handoff.desk import HandoffDesk

logger = logging.getLogger(__name__)


async def record_customer_message(desk: HandoffDesk, message: Optional[CustomerMessage], source: str) -> bool:
    """True when the message went to a transcript; raises while it cannot be stored yet (it is read again)."""
    if message is None:
        return False
    try:
        return await desk.record_customer_message(
            message.conversation_id, message.text, message.event_key, message.sent_at
        )
    except DataError:
        # it can never be stored: retrying would stop every message behind it for good
        logger.exception("%s cannot be stored; skipped", source)
        return False
