"""Engine factory for the store: the same settings whether the URL names SQLite or PostgreSQL."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_SECONDS = 15


def create_store_engine(url: str, **engine_options: Any) -> Engine:
    """Create (not connect) an engine; SQLite gets foreign keys enforced and waits instead of failing when locked."""
    # Bound parameters hold customers' e-mails and addresses: errors and logs must not repeat them.
    engine_options.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        connect_args = dict(engine_options.pop("connect_args", {}))
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        # The action server answers from worker threads; each checkout is still used by one thread at a time.
        connect_args.setdefault("check_same_thread", False)
        engine = create_engine(url, future=True, connect_args=connect_args, **engine_options)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    engine_options.setdefault("pool_pre_ping", True)
    return create_engine(url, future=True, **engine_options)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the database file but not its folder; `var/` is absent on a fresh checkout."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return
    path = url[len(prefix):].split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
