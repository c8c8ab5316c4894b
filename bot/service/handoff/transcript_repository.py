"""What was said during a handoff, the agents' internal notes and the customers' ratings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.service.handoff import tables as schema
from bot.service.handoff.errors import InvalidRequest
from bot.service.handoff.records import DeliveryState, Note, Rating, Sender, TranscriptMessage
from bot.service.handoff.row_records import record_from_row
from bot.service.handoff.sql_repository import SqlRepository, inserted_id
from bot.shared.privacy_masking import mask_private

MAX_TEXT_LENGTH = 4000


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidRequest("text must not be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidRequest(f"text must be at most {MAX_TEXT_LENGTH} characters long")
    return text


def insert_message(
    connection: Connection,
    handoff_id: int,
    sender: Sender,
    text: str,
    created_at: datetime,
    agent_id: Optional[int] = None,
    source_event_id: Optional[str] = None,
    delivery: Optional[DeliveryState] = None,
) -> TranscriptMessage:
    """Inside the caller's transaction, so a line to the customer is stored with its outbox entry."""
    # card numbers, IBANs and typed passwords never reach the table, nor the agents who read it
    text = mask_private(text if sender is Sender.CUSTOMER else _checked_text(text))
    message_id = inserted_id(
        connection,
        schema.messages.insert().values(
            handoff_id=handoff_id,
            sender=sender.value,
            agent_id=agent_id,
            text=text,
            created_at=created_at,
            source_event_id=source_event_id,
            delivery=delivery.value if delivery else None,
        ),
    )
    return TranscriptMessage(message_id, handoff_id, sender, text, created_at, agent_id, delivery)


class TranscriptRepository(SqlRepository):
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
                    connection, handoff_id, sender, text, created_at or self._clock(), agent_id, source_event_id
                )
        except IntegrityError:
            if source_event_id is None:
                raise
            return None

    def message(self, message_id: int) -> Optional[TranscriptMessage]:
        table = schema.messages
        return self._first(select(table).where(table.c.id == message_id), _message)

    def messages(self, handoff_id: int) -> List[TranscriptMessage]:
        table = schema.messages
        return self._all(select(table).where(table.c.handoff_id == handoff_id).order_by(table.c.id), _message)

    def add_note(self, handoff_id: int, agent_id: int, text: str) -> Note:
        text = mask_private(_checked_text(text))
        created_at = self._clock()
        with self._engine.begin() as connection:
            note_id = inserted_id(
                connection,
                schema.notes.insert().values(
                    handoff_id=handoff_id, agent_id=agent_id, text=text, created_at=created_at
                ),
            )
        return Note(note_id, handoff_id, agent_id, text, created_at)

    def notes(self, handoff_id: int) -> List[Note]:
        table = schema.notes
        return self._all(
            select(table).where(table.c.handoff_id == handoff_id).order_by(table.c.id),
            lambda row: record_from_row(Note, row),
        )

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
        comment = mask_private((comment or "").strip()[:MAX_TEXT_LENGTH]) or None
        created_at = self._clock()
        with self._engine.begin() as connection:
            rating_id = inserted_id(
                connection,
                schema.ratings.insert().values(
                    conversation_id=conversation_id,
                    handoff_id=handoff_id,
                    agent_id=agent_id,
                    score=score,
                    comment=comment,
                    created_at=created_at,
                ),
            )
        return Rating(rating_id, conversation_id, handoff_id, agent_id, score, comment, created_at)

    def ratings(self, conversation_id: str) -> List[Rating]:
        table = schema.ratings
        return self._all(
            select(table).where(table.c.conversation_id == conversation_id).order_by(table.c.id),
            lambda row: record_from_row(Rating, row),
        )


def _message(row: Any) -> TranscriptMessage:
    return record_from_row(TranscriptMessage, row)
