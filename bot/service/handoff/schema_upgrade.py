"""Brings handoff tables made by an earlier release up to date: adds the columns added since."""

from __future__ import annotations

from typing import Set, Tuple

from sqlalchemy import Column, Table, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.schema import CreateColumn

from bot.service.handoff import tables as schema

# every column here must be nullable or have a server default, so existing rows stay valid
ADDED_COLUMNS: Tuple[Tuple[Table, str], ...] = (
    (schema.agents, "role"),
    (schema.handoffs, "notified_position"),
    (schema.handoffs, "language"),
    (schema.messages, "delivery"),
)


def _column_names(engine: Engine, table: Table) -> Set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table.name)}


def upgrade_handoff_tables(engine: Engine) -> None:
    for table, name in ADDED_COLUMNS:
        if name in _column_names(engine, table):
            continue
        column: Column = table.c[name]
        definition = CreateColumn(column).compile(dialect=engine.dialect)
        try:
            with engine.begin() as connection:
                connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {definition}"))
        except (OperationalError, ProgrammingError):
            # another process starting at the same moment may have added it first
            if name not in _column_names(engine, table):
                raise
