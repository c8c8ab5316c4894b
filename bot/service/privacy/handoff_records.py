"""The bot service's own rows about a customer: handoffs, transcripts, notes, ratings, outbox, report turns."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Set

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.handoff import tables as handoff
from bot.service.privacy.subject import ERASED_TEXT, Subject
from bot.service.reports import tables as reports
from bot.shared.clock import as_utc


def _plain(row: Any) -> Dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row._mapping.items()}


class HandoffRecords:
    name = "handoffs"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find(self, subject: Subject) -> Set[str]:
        """Conversations whose handoff, transcript, notes or rating comment name the customer."""
        table, messages, notes, ratings = handoff.handoffs, handoff.messages, handoff.notes, handoff.ratings
        found: Set[str] = set()
        with self._engine.connect() as connection:
            if subject.email:
                found |= {
                    row.conversation_id
                    for row in connection.execute(
                        select(table.c.conversation_id).where(table.c.customer_email.ilike(subject.email))
                    )
                }
            for pattern in subject.like_patterns():
                queries = (
                    select(table.c.conversation_id, table.c.conversation_id.label("text")).where(
                        table.c.conversation_id.ilike(pattern)
                    ),
                    select(table.c.conversation_id, table.c.context_json.label("text")).where(
                        table.c.context_json.ilike(pattern)
                    ),
                    select(table.c.conversation_id, table.c.customer_message.label("text")).where(
                        table.c.customer_message.ilike(pattern)
                    ),
                    select(table.c.conversation_id, messages.c.text)
                    .select_from(messages.join(table, messages.c.handoff_id == table.c.id))
                    .where(messages.c.text.ilike(pattern)),
                    select(table.c.conversation_id, notes.c.text)
                    .select_from(notes.join(table, notes.c.handoff_id == table.c.id))
                    .where(notes.c.text.ilike(pattern)),
                    select(ratings.c.conversation_id, ratings.c.comment.label("text")).where(
                        ratings.c.comment.ilike(pattern)
                    ),
                )
                for query in queries:
                    found |= {row.conversation_id for row in connection.execute(query) if subject.named_in(row.text)}
        return found

    def verified_emails(self, conversation_ids: Set[str]) -> Set[str]:
        """The addresses customers proved in these conversations (kept in the handoff's context), or left a ticket with."""
        table = handoff.handoffs
        query = select(table.c.customer_email, table.c.context_json).where(
            table.c.conversation_id.in_(sorted(conversation_ids))
        )
        found: Set[str] = set()
        with self._engine.connect() as connection:
            for row in connection.execute(query):
                context = json.loads(row.context_json or "{}")
                slots = context.get("slots") if isinstance(context, dict) else None
                slots = slots if isinstance(slots, dict) else {}
                email = (
                    slots.get("verified_email") or slots.get("email") if slots.get("verified") else row.customer_email
                )
                if isinstance(email, str) and "@" in email:
                    found.add(email.strip().lower())
        return found

    def _handoff_ids(self, connection: Any, subject: Subject) -> List[int]:
        table = handoff.handoffs
        return [
            row.id
            for row in connection.execute(
                select(table.c.id).where(table.c.conversation_id.in_(sorted(subject.conversation_ids)))
            )
        ]

    def export(self, subject: Subject) -> Dict[str, Any]:
        with self._engine.connect() as connection:
            ids = self._handoff_ids(connection, subject)
            conversation_ids = sorted(subject.conversation_ids)

            def rows(table: Any, column: Any, values: List[Any]) -> List[Dict[str, Any]]:
                return [_plain(row) for row in connection.execute(select(table).where(column.in_(values)))]

            found = {
                "handoffs": rows(handoff.handoffs, handoff.handoffs.c.id, ids),
                "messages": rows(handoff.messages, handoff.messages.c.handoff_id, ids),
                "notes": rows(handoff.notes, handoff.notes.c.handoff_id, ids),
                "ratings": rows(handoff.ratings, handoff.ratings.c.conversation_id, conversation_ids),
                "report_turns": rows(reports.turns, reports.turns.c.conversation_id, conversation_ids),
                "report_turn_marks": rows(reports.turn_marks, reports.turn_marks.c.conversation_id, conversation_ids),
                "report_chat_presence": rows(
                    reports.chat_presence, reports.chat_presence.c.conversation_id, conversation_ids
                ),
            }
        for entry in found["handoffs"]:
            entry["context"] = json.loads(entry.pop("context_json") or "{}")
        return found

    def erase(self, subject: Subject) -> int:
        """Keeps every row (the reports count them) and removes what says who the customer is or what they said."""
        changed = 0
        with self._engine.begin() as connection:
            ids = self._handoff_ids(connection, subject)
            for statement in (
                handoff.messages.update().where(handoff.messages.c.handoff_id.in_(ids)).values(text=ERASED_TEXT),
                handoff.notes.update().where(handoff.notes.c.handoff_id.in_(ids)).values(text=ERASED_TEXT),
                handoff.outbox.update().where(handoff.outbox.c.handoff_id.in_(ids)).values(payload_json="{}"),
            ):
                changed += int(connection.execute(statement).rowcount)
            for conversation_id in subject.conversation_ids:
                pseudonym = subject.pseudonym(conversation_id)
                for statement in (
                    handoff.handoffs.update()
                    .where(handoff.handoffs.c.conversation_id == conversation_id)
                    .values(conversation_id=pseudonym, customer_email=None, customer_message=None, context_json="{}"),
                    handoff.outbox.update()
                    .where(handoff.outbox.c.conversation_id == conversation_id)
                    .values(conversation_id=pseudonym),
                    handoff.ratings.update()
                    .where(handoff.ratings.c.conversation_id == conversation_id)
                    .values(conversation_id=pseudonym, comment=None),
                    reports.turns.update()
                    .where(reports.turns.c.conversation_id == conversation_id)
                    .values(conversation_id=pseudonym),
                    reports.chat_presence.delete().where(reports.chat_presence.c.conversation_id == conversation_id),
                    reports.turn_marks.delete().where(reports.turn_marks.c.conversation_id == conversation_id),
                ):
                    changed += int(connection.execute(statement).rowcount)
        return changed

    def conversations_before(self, cutoff: datetime) -> Set[str]:
        """Conversations whose newest trace here is older than `cutoff` and that are not pseudonyms already."""
        newest: Dict[str, datetime] = {}
        with self._engine.connect() as connection:
            for table, column in (
                (reports.turns, reports.turns.c.at),
                (handoff.handoffs, handoff.handoffs.c.created_at),
            ):
                for row in connection.execute(select(table.c.conversation_id, column.label("at"))):
                    moment = as_utc(row.at)
                    if row.conversation_id not in newest or newest[row.conversation_id] < moment:
                        newest[row.conversation_id] = moment
            open_ids = {
                row.conversation_id
                for row in connection.execute(
                    select(handoff.handoffs.c.conversation_id).where(handoff.handoffs.c.status != "closed")
                )
            }
        return {
            conversation_id
            for conversation_id, moment in newest.items()
            if moment < cutoff and conversation_id not in open_ids and not conversation_id.startswith("erased-")
        }
