"""Engine for the handoff tables: SQLite by default, PostgreSQL by URL."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine, make_url

from bot.handoff.schema import metadata
from bot.handoff.schema_upgrade import upgrade_handoff_tables


def create_handoff_engine(database_url: str, schema: Optional[str] = None) -> Engine:
    """`schema` puts the tables in a PostgreSQL schema of their own (parallel test runs)."""
    connect_args: Dict[str, Any] = {}
    engine_options: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        # several threads and processes share the file; wait for the lock instead of failing
        connect_args = {"check_same_thread": False, "timeout": 30}
    else:
        engine_options.update(pool_size=10, max_overflow=20)
        if schema:
            connect_args["options"] = f"-csearch_path={schema}"
    # Bound parameters hold customers' messages and e-mails: errors and logs must not repeat them.
    engine_options.setdefault("hide_parameters", True)
    engine = create_engine(database_url, connect_args=connect_args, **engine_options)
    if database_url.startswith("sqlite"):
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_handoff_tables(engine: Engine) -> None:
    """Creates what is missing, including columns added since a database was made."""
    metadata.create_all(engine, checkfirst=True)
    upgrade_handoff_tables(engine)


def ensure_sqlite_folder(database_url: str) -> None:
    """SQLite creates the file but not its folder (`var/` on a fresh checkout)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
