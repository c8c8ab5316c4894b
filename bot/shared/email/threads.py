"""E-mail threads as conversations: which conversation a mail belongs to, and what a reply threads under."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.shared.email.inbound import InboundMail
from bot.shared.email.message_ids import MAX_IDS
from bot.shared.email.tables import received_message_ids, sent_message_ids, threads

CONVERSATION_PREFIX = "email-"


@dataclass(frozen=True)
class Thread:
    conversation_id: str
    customer_address: str
    subject: str
    last_message_id: str
    references: Tuple[str, ...]
    choices: Tuple[Dict[str, Any], ...] = ()


def new_conversation_id() -> str:
    return CONVERSATION_PREFIX + uuid.uuid4().hex


def _thread(row: Any) -> Thread:
    return Thread(
        conversation_id=row.conversation_id,
        customer_address=row.customer_address,
        subject=row.subject,
        last_message_id=row.last_message_id,
        references=tuple(json.loads(row.references)),
        choices=tuple(json.loads(row.choices)),
    )


class ThreadStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def continued_conversation(self, mail: InboundMail) -> Optional[str]:
        """The conversation of the mail this one answers, if it names a Message-Id we sent.

        Ids the customer's own mails carried do not count: anyone may quote those, while ours reached only
        the mailbox we wrote to.
        """
        if not mail.thread_ids:
            return None
        query = select(sent_message_ids.c.message_id, sent_message_ids.c.conversation_id).where(
            sent_message_ids.c.message_id.in_(mail.thread_ids)
        )
        with self._engine.connect() as connection:
            found = dict(connection.execute(query).all())
        for message_id in mail.thread_ids:
            if message_id in found:
                return str(found[message_id])
        return None

    def already_received(self, message_id: str) -> bool:
        query = select(received_message_ids.c.message_id).where(received_message_ids.c.message_id == message_id)
        with self._engine.connect() as connection:
            return connection.execute(query).first() is not None

    def mark_received(self, message_id: str, conversation_id: str, now: datetime) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(received_message_ids).values(
                        message_id=message_id, conversation_id=conversation_id, received_at=now
                    )
                )
        except IntegrityError:
            pass  # the same mail answered twice at once; the first mark stands

    def open(self, conversation_id: str, customer_address: str, mail: InboundMail, now: datetime) -> Thread:
        """The thread of a new conversation, or the existing one with this mail as its newest message."""
        references = (*mail.references, mail.message_id)[-MAX_IDS:]
        with self._engine.begin() as connection:
            existing = self._get(connection, conversation_id)
            if existing is None:
                connection.execute(
                    insert(threads).values(
                        conversation_id=conversation_id,
                        customer_address=customer_address,
                        subject=mail.subject[:300],
                        last_message_id=mail.message_id,
                        references=json.dumps(list(references)),
                        updated_at=now,
                    )
                )
            else:
                merged = [ref for ref in existing.references if ref not in references] + list(references)
                connection.execute(
                    update(threads)
                    .where(threads.c.conversation_id == conversation_id)
                    .values(last_message_id=mail.message_id, references=json.dumps(merged[-MAX_IDS:]), updated_at=now)
                )
            thread = self._get(connection, conversation_id)
        assert thread is not None
        return thread

    def start(self, conversation_id: str, customer_address: str, subject: str, now: datetime) -> Thread:
        """A thread we begin ourselves (an agent answering a ticket), unless the conversation has one."""
        with self._engine.begin() as connection:
            existing = self._get(connection, conversation_id)
            if existing is not None:
                return existing
            connection.execute(
                insert(threads).values(
                    conversation_id=conversation_id,
                    customer_address=customer_address,
                    subject=subject[:300],
                    last_message_id="",
                    references="[]",
                    updated_at=now,
                )
            )
        return Thread(conversation_id, customer_address, subject, "", ())

    def get(self, conversation_id: str) -> Optional[Thread]:
        with self._engine.connect() as connection:
            return self._get(connection, conversation_id)

    def record_sent(
        self,
        connection: Connection,
        thread: Thread,
        message_id: str,
        choices: List[Dict[str, Any]],
        now: datetime,
    ) -> None:
        """In the transaction that queues the mail: our id continues the thread once the customer answers it."""
        connection.execute(
            insert(sent_message_ids).values(message_id=message_id, conversation_id=thread.conversation_id)
        )
        references = [*thread.references, message_id][-MAX_IDS:]
        connection.execute(
            update(threads)
            .where(threads.c.conversation_id == thread.conversation_id)
            .values(
                last_message_id=message_id,
                references=json.dumps(references),
                choices=json.dumps(choices),
                updated_at=now,
            )
        )

    @staticmethod
    def _get(connection: Connection, conversation_id: str) -> Optional[Thread]:
        row = connection.execute(select(threads).where(threads.c.conversation_id == conversation_id)).first()
        return _thread(row) if row is not None else None
