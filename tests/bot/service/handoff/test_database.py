"""The bot service's SQLite engine keeps its connections between transactions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List

from sqlalchemy import event, text

from bot.service.handoff.database import create_handoff_engine


def test_an_sqlite_engine_opens_one_connection_for_many_transactions(tmp_path: Path) -> None:
    engine = create_handoff_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    opened: List[Any] = []
    event.listen(engine, "connect", lambda dbapi_connection, _record: opened.append(dbapi_connection))
    try:
        for _ in range(20):
            with engine.begin() as connection:
                connection.execute(text("SELECT 1"))
        with engine.connect() as connection:
            journal_mode = connection.execute(text("PRAGMA journal_mode")).scalar()
    finally:
        engine.dispose()
    assert len(opened) == 1
    assert journal_mode == "wal"
