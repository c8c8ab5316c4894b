"""Inserts that keep the row already stored under the same unique key (SQLite and PostgreSQL: ON CONFLICT DO NOTHING).

A broker event may be read twice (both brokers, a redelivery, a restart before the cursor moved); its rows
are stored once. Unlike catching the IntegrityError, this leaves the transaction usable on PostgreSQL, so
many events can share one.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _insert_or_skip(connection: Connection, table: Table) -> Any:
    dialect = connection.dialect.name
    if dialect not in _INSERTS:
        raise ValueError(f"no insert that skips stored rows for {dialect}")
    return _INSERTS[dialect](table).on_conflict_do_nothing()


def insert_if_new(connection: Connection, table: Table, row: Mapping[str, Any]) -> bool:
    """False when a row with the same unique key was stored before."""
    return int(connection.execute(_insert_or_skip(connection, table), dict(row)).rowcount) == 1


def insert_all_new(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        connection.execute(_insert_or_skip(connection, table), [dict(row) for row in rows])
