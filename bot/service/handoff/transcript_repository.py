"""What was said during a handoff, the agents' internal notes and the customers' ratings."""
from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError

from bot.handoff import schema
from bot.handoff.clock import utc_now
from bot.handoff.errors import InvalidRequest
from bot.handoff.models import DeliveryState, Note, Rating, Sender, TranscriptMessage

MAX_TEXT_LENGTH = 4000


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidRequest("text must not be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidRequest(f"text must be at most {MAX_TEXT_LENGTH} characters long")
    return text


def _message_from_row(row: Row) -> TranscriptMessage:
    return TranscriptMessage(
        row.id, row.handoff_id, Sender(row.sender), row.text, row.created_at, row.agent_id,
        DeliveryState(row.delivery) if row.delivery else None,
    )


def insert_message(
    connection: Connection,
    handoff_id: int,
    sender: Sender,
    text: str,
    agent_id: Optional[int] = None,
    source_event_id: Optional[str] = None,
    created_at: Optional[datetime] = None,
    delivery: Optional[DeliveryState] = None,
) -> TranscriptMessage:
    """Inside the caller's transaction, so a line to the customer is stored with its outbox entry."""
    created_at = created_at or utc_now()
    text = text if sender is Sender.CUSTOMER else _checked_text(text)
    message_id = connection.execute(
        schema.messages.insert().values(
            handoff_id=handoff_id,
            sender=sender.value,
            agent_id=agent_id,
            text=text,
            created_at=created_at,
            source_event_id=source_event_id,
            delivery=delivery.value if delivery else None,
        )
    ).inserted_primary_key[0]
    return TranscriptMessage(message_id, handoff_id, sender, text, created_at, agent_id, delivery)


class TranscriptRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add_message(
        self,
        handoff_id: int,
        sender: Sender,
        text: str,
        agent_id: Optional[int] = None,
        source_event_id: Optional[str] = None,
        created_at: Optional[datetime] = None,
    ) -> Optional[TranscriptMessage]:
        """Returns None when the broker delivered this event before (it is stored once)."""
        try:
            with self._engine.begin() as connection:
                return insert_message(
                    connection, handoff_id, sender, text, agent_id, source_event_id, created_at
                )
        except IntegrityError:
            if source_event_id is None:
                raise
            return None

    def message(self, message_id: int) -> Optional[TranscriptMessage]:
        table = schema.messages
        with self._engine.connect() as connection:
            row = connection.execute(select(table).where(table.c.id == message_id)).first()
        return None if row is None else _message_from_row(row)

    def messages(self, handoff_id: int) -> List[TranscriptMessage]:
        table = schema.messages
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(table).where(table.c.handoff_id == handoff_id).order_by(table.c.id)
            )
            return [_message_from_row(row) for row in rows]

    def add_note(self, handoff_id: int, agent_id: int, text: str) -> Note:
        text = _checked_text(text)
        created_at = utc_now()
        with self._engine.begin() as connection:
            note_id = connection.execute(
                schema.notes.insert().values(
                    handoff_id=handoff_id, agent_id=agent_id, text=text, created_at=created_at
                )
            ).inserted_primary_key[0]
        return Note(note_id, handoff_id, agent_id, text, created_at)

    def notes(self, handoff_id: int) -> List[Note]:
        table = schema.notes
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(table).where(table.c.handoff_id == handoff_id).order_by(table.c.id)
            )
            return [
                Note(row.id, row.handoff_id, row.agent_id, row.text, row.created_at) for row in rows
            ]

    def add_rating(
        self,
        conversation_id: str,
        score: int,
        comment: Optional[str],
        handoff_id: Optional[int],
        agent_id: Optional[int],
    ) -> Rating:
        if not 1 <= score <= 5:
            raise InvalidRequest("a rating is a whole number from 1 to 5")
        comment = (comment or "").strip()[:MAX_TEXT_LENGTH] or None
        created_at = utc_now()
        with self._engine.begin() as connection:
            rating_id = connection.execute(
                schema.ratings.insert().values(
                    conversation_id=conversation_id,
                    handoff_id=handoff_id,
                    agent_id=agent_id,
                    score=score,
                    comment=comment,
                    created_at=created_at,
                )
            ).inserted_primary_key[0]
        return Rating(rating_id, conversation_id, handoff_id, agent_id, score, comment, created_at)

    def ratings(self, conversation_id: str) -> List[Rating]:
        table = schema.ratings
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(table).where(table.c.conversation_id == conversation_id).order_by(table.c.id)
            )
            return [
                Rating(
                    row.id, row.conversation_id, row.handoff_id, row.agent_id,
                    row.score, row.comment, row.created_at,
                )
                for row in rows
            ]
