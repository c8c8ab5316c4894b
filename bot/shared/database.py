"""The one engine factory: the store and the handoff tables get the same settings for the same URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

# Several processes (Rasa's tracker store, the action server, the bot service) and their worker threads
# write one SQLite file: a writer waits this long for the lock instead of failing at once.
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def create_database_engine(
    url: str, *, schema: Optional[str] = None, kept_connections: Optional[int] = None, **engine_options: Any
) -> Engine:
    """Create (not connect) an engine.

    SQLite runs in WAL mode (readers do not block the writer), enforces foreign keys and waits for a lock;
    a server database is pinged before each checkout and, given `schema`, keeps its tables in that schema.
    `kept_connections` stay open between uses, one for each thread that uses the engine at once; without
    it an SQLite file gets SQLAlchemy's `NullPool` (a new connection for every use).
    """
    # Bound parameters hold customers' e-mails, addresses and messages: errors and logs must not repeat them.
    engine_options.setdefault("hide_parameters", True)
    connect_args: Dict[str, Any] = dict(engine_options.pop("connect_args", {}))
    if is_sqlite(url):
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        # Actions run their store calls on worker threads; each checkout is still used by one thread at a time.
        connect_args.setdefault("check_same_thread", False)
        if kept_connections is not None and not _in_memory(url):
            # Opening a connection runs the PRAGMAs below, and closing the last one to a WAL file checkpoints it.
            engine_options.setdefault("poolclass", QueuePool)
            engine_options.setdefault("pool_size", kept_connections)
        engine = create_engine(url, future=True, connect_args=connect_args, **engine_options)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if schema:
        connect_args.setdefault("options", f"-csearch_path={schema}")
    if kept_connections is not None:
        engine_options.setdefault("pool_size", kept_connections)
    engine_options.setdefault("pool_pre_ping", True)
    return create_engine(url, future=True, connect_args=connect_args, **engine_options)


# The store's callers name it for what they open.
create_store_engine = create_database_engine


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _in_memory(url: str) -> bool:
    return make_url(url).database in (None, "", ":memory:")


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # in WAL mode: the log is synced at checkpoints, not at every commit; a crash of a process loses nothing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the database file but not its folder; `var/` is absent on a fresh checkout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
