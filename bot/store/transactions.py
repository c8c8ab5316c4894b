"""Connections and transactions that turn database failures into StoreUnavailable."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from bot.store.errors import StoreUnavailable

UNAVAILABLE_REASON = "The store database cannot be reached right now."


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    try:
        with engine.connect() as connection:
            yield connection
    except DBAPIError as error:
        raise StoreUnavailable(UNAVAILABLE_REASON) from error


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back entirely when anything raises.

    On SQLite it takes the write lock at once: Python's driver begins a transaction only at the first write,
    so what a change read first (the order it checks) could be changed by another thread before it wrote.
    """
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection
    except DBAPIError as error:
        raise StoreUnavailable(UNAVAILABLE_REASON) from error
