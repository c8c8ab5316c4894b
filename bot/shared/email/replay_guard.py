"""Each signed webhook token is accepted once, remembered in the database across restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.shared.email.tables import webhook_tokens

# Tokens older than this are refused by the signature's time window anyway, so they need not be kept.
KEEP_TOKENS_FOR = timedelta(hours=1)


class SeenTokens:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def accept(self, token: str, now: datetime) -> bool:
        """True the first time `token` is presented, False ever after (the primary key decides, atomically)."""
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(webhook_tokens).values(token=token, seen_at=now))
        except IntegrityError:
            return False
        with self._engine.begin() as connection:
            connection.execute(delete(webhook_tokens).where(webhook_tokens.c.seen_at < now - KEEP_TOKENS_FOR))
        return True
