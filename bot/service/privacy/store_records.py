"""The shop's rows about a customer: the customer, their orders' addresses, mails, complaints, e-mail threads."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Set

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.service.privacy.subject import ERASED_TEXT, Subject
from bot.shared.email import tables as email
from bot.store import tables as store


def _plain(row: Any) -> Dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row._mapping.items()}


class StoreRecords:
    name = "store"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _safely(self, work: Any, default: Any) -> Any:
        try:
            return work()
        except (OperationalError, ProgrammingError):
            return default  # that part of the database was never created (no store built, no e-mail channel)

    def find(self, subject: Subject) -> Set[str]:
        def threads() -> Set[str]:
            query = select(email.threads.c.conversation_id).where(
                func.lower(email.threads.c.customer_address) == subject.email
            )
            with self._engine.connect() as connection:
                return {row.conversation_id for row in connection.execute(query)}

        found: Set[str] = self._safely(threads, set())
        return found

    def export(self, subject: Subject) -> Dict[str, Any]:
        def read() -> Dict[str, Any]:
            with self._engine.connect() as connection:
                customers = [
                    _plain(row)
                    for row in connection.execute(
                        select(store.customers).where(func.lower(store.customers.c.email) == subject.email)
                    )
                ]
                ids = [customer["id"] for customer in customers]
                ids_of_conversations = sorted(subject.conversation_ids)
                return {
                    "customers": customers,
                    "orders": [
                        _plain(row)
                        for row in connection.execute(select(store.orders).where(store.orders.c.customer_id.in_(ids)))
                    ],
                    "complaints": [
                        _plain(row)
                        for row in connection.execute(
                            select(store.complaints).where(store.complaints.c.conversation_id.in_(ids_of_conversations))
                        )
                    ],
                    "sent_mail": [
                        _plain(row)
                        for row in connection.execute(
                            select(store.email_outbox).where(
                                func.lower(store.email_outbox.c.recipient) == subject.email
                            )
                        )
                    ],
                }

        found: Dict[str, Any] = self._safely(read, {"customers": [], "orders": [], "complaints": [], "sent_mail": []})
        found["email_threads"] = self._safely(self._threads_export(subject), [])
        return found

    def _threads_export(self, subject: Subject) -> Any:
        def read() -> List[Dict[str, Any]]:
            with self._engine.connect() as connection:
                return [
                    _plain(row)
                    for row in connection.execute(
                        select(email.threads).where(
                            email.threads.c.conversation_id.in_(sorted(subject.conversation_ids))
                        )
                    )
                ]

        return read

    def erase(self, subject: Subject) -> int:
        """The customer row stays (orders point at it) with its name and e-mail replaced; addresses go."""
        changed = 0

        def erase_store() -> int:
            count = 0
            with self._engine.begin() as connection:
                customer_ids = [
                    row.id
                    for row in connection.execute(
                        select(store.customers.c.id).where(func.lower(store.customers.c.email) == subject.email)
                    )
                ]
                for customer_id in customer_ids:
                    count += int(
                        connection.execute(
                            store.customers.update()
                            .where(store.customers.c.id == customer_id)
                            .values(name="Erased customer", email=f"erased-{customer_id}@erased.invalid")
                        ).rowcount
                    )
                count += int(
                    connection.execute(
                        store.orders.update()
                        .where(store.orders.c.customer_id.in_(customer_ids))
                        .values(shipping_address=ERASED_TEXT)
                    ).rowcount
                )
                count += int(
                    connection.execute(
                        store.email_outbox.delete().where(func.lower(store.email_outbox.c.recipient) == subject.email)
                    ).rowcount
                )
                for conversation_id in subject.conversation_ids:
                    pseudonym = subject.pseudonym(conversation_id)
                    count += int(
                        connection.execute(
                            store.complaints.update()
                            .where(store.complaints.c.conversation_id == conversation_id)
                            .values(conversation_id=pseudonym, text=ERASED_TEXT)
                        ).rowcount
                    )
                    count += int(
                        connection.execute(
                            store.verification_failures.update()
                            .where(store.verification_failures.c.conversation_id == conversation_id)
                            .values(conversation_id=pseudonym)
                        ).rowcount
                    )
            return count

        def erase_mail() -> int:
            count = 0
            ids = sorted(subject.conversation_ids)
            with self._engine.begin() as connection:
                for table in (email.threads, email.sent_message_ids, email.received_message_ids):
                    count += int(connection.execute(table.delete().where(table.c.conversation_id.in_(ids))).rowcount)
                count += int(
                    connection.execute(
                        email.outbox.delete().where(func.lower(email.outbox.c.recipient) == subject.email)
                    ).rowcount
                )
            return count

        changed += int(self._safely(erase_store, 0))
        changed += int(self._safely(erase_mail, 0))
        return changed
