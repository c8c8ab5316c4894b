"""Queues what the assistant or an agent says in a thread as one mail, and remembers its id and choices."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy.engine import Engine

from bot.shared.email.choices import choices_as_text
from bot.shared.email.compose import compose_reply
from bot.shared.email.message_ids import new_message_id
from bot.shared.email.outbox import enqueue
from bot.shared.email.threads import Thread, ThreadStore


class ThreadReplies:
    def __init__(self, engine: Engine, from_address: str) -> None:
        self._engine = engine
        self._from_address = from_address
        self.threads = ThreadStore(engine)

    def queue(
        self,
        thread: Thread,
        paragraphs: Sequence[str],
        choices: Sequence[Dict[str, Any]],
        now: datetime,
        source_key: Optional[str] = None,
    ) -> Optional[str]:
        """The new mail's Message-Id; None when there was nothing to say or `source_key` was queued before."""
        lines: List[str] = [paragraph.strip() for paragraph in paragraphs if paragraph and paragraph.strip()]
        if choices:
            lines.append(choices_as_text(choices))
        if not lines:
            return None
        message_id = new_message_id(self._from_address)
        message = compose_reply(thread, self._from_address, lines, message_id, now)
        with self._engine.begin() as connection:
            if not enqueue(
                connection, source_key or f"reply:{message_id}", thread.customer_address, message.as_string(), now
            ):
                return None
            self.threads.record_sent(connection, thread, message_id, list(choices), now)
        return message_id
