"""The project's SQLite engines: WAL mode, the log synced at checkpoints, foreign keys, a writer that waits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.shared.database import SQLITE_BUSY_TIMEOUT_SECONDS, create_database_engine

NORMAL = 1


def test_an_sqlite_engine_is_in_wal_mode_with_normal_synchronous(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    try:
        with engine.connect() as connection:
            settings = [
                connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            ]
    finally:
        engine.dispose()
    assert settings == ["wal", NORMAL, 1, SQLITE_BUSY_TIMEOUT_SECONDS * 1000]
