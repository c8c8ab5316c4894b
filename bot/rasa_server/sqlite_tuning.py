"""SQLite files that Rasa opens itself (the SQL tracker store and event broker of endpoints.yml) in WAL mode.

Rasa creates those engines with SQLAlchemy's defaults: a rollback journal, in which the bot service reading
the event table holds off Rasa's writes, and a full fsync at every commit, of which the event broker makes
one per event. In WAL mode readers and the writer do not wait for each other; `synchronous=NORMAL` syncs
the log at checkpoints instead of at every commit, so a commit survives a crash of the process (not a
power cut between checkpoints). A writer waits for the lock as the project's own engines do.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.shared.database import SQLITE_BUSY_TIMEOUT_SECONDS


def tune_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:
    """On each new connection; other databases are left as they are."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    finally:
        cursor.close()


def install() -> None:
    """Every engine of this process, whoever creates it (idempotent)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", tune_sqlite_connection):
        event.listen(Engine, "connect", tune_sqlite_connection)
