"""The web chat widget's signs of life while its customer waits in the queue: here, or gone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.service.reports import tables as schema


def record_presence(engine: Engine, conversation_id: str, here: bool, at: datetime) -> None:
    """`here` after each heartbeat (a reload clears a leave); not `here` when the customer closed the chat."""
    table = schema.chat_presence
    values = {"seen_at": at, "left_at": None} if here else {"left_at": at}
    for attempt in range(2):
        try:
            with engine.begin() as connection:
                updated = connection.execute(
                    table.update().where(table.c.conversation_id == conversation_id).values(**values)
                ).rowcount
                if updated == 0:
                    connection.execute(
                        table.insert().values({"conversation_id": conversation_id, "seen_at": at, **values})
                    )
            return
        except IntegrityError:
            if attempt:  # the other bot-service instance keeps inserting it: its row stands
                return
