"""Engine for the handoff tables: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.engine import Engine

from bot.service.handoff.schema_upgrade import upgrade_handoff_tables
from bot.service.handoff.tables import metadata
from bot.shared.database import create_database_engine, ensure_sqlite_directory, is_sqlite

# Agents' requests, the outbox worker and the broker share one server database.
SERVER_POOL_SIZE = 10
SERVER_MAX_OVERFLOW = 20
# SQLAlchemy 1.4 gives a SQLite file a NullPool: every transaction opened a connection (four PRAGMAs) and closed
# it, and closing the last connection to a WAL file checkpoints it. The service's worker threads keep theirs.
SQLITE_POOL_SIZE = 5
SQLITE_MAX_OVERFLOW = 10


def create_handoff_engine(database_url: str, schema: Optional[str] = None) -> Engine:
    """`schema` puts the tables in a PostgreSQL schema of their own (parallel test runs)."""
    if is_sqlite(database_url):
        return create_database_engine(database_url, kept_connections=SQLITE_POOL_SIZE, max_overflow=SQLITE_MAX_OVERFLOW)
    return create_database_engine(
        database_url, schema=schema, kept_connections=SERVER_POOL_SIZE, max_overflow=SERVER_MAX_OVERFLOW
    )


def create_handoff_tables(engine: Engine) -> None:
    """Creates what is missing, including columns added since a database was made."""
    metadata.create_all(engine, checkfirst=True)
    upgrade_handoff_tables(engine)


def ensure_sqlite_folder(database_url: str) -> None:
    """SQLite creates the file but not its folder (`var/` on a fresh checkout)."""
    ensure_sqlite_directory(database_url)
