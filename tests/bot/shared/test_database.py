"""The project's SQLite engines: WAL mode, the log synced at checkpoints, foreign keys, a writer that waits."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from sqlalchemy import event, text

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


@pytest.mark.parametrize(("kept", "opened"), [(None, 5), (2, 1)], ids=["a-connection-per-use", "kept-connections"])
def test_an_sqlite_file_keeps_its_connections_when_asked(tmp_path: Path, kept: Optional[int], opened: int) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'shop.db'}", kept_connections=kept)
    connects = []
    event.listen(engine, "connect", lambda *_: connects.append(1))
    try:
        for _ in range(5):
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert len(connects) == opened


def test_a_server_database_keeps_as_many_connections_as_asked() -> None:
    engine = create_database_engine("postgresql://postgres@127.0.0.1:9/shop", kept_connections=8)
    assert engine.pool.size() == 8  # type: ignore[attr-defined]
