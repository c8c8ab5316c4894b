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
    """One transaction: committed when the block ends, rolled back entirely when anything raises."""
    try:
        with engine.begin() as connection:
            yield connection
    except DBAPIError as error:
        raise StoreUnavailable(UNAVAILABLE_REASON) from error
