"""A change that fails half-way leaves the store exactly as it was."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.demo import showcase
from bot.store.errors import StoreUnavailable
from bot.store.repository import StoreRepository
from bot.store.tables import TABLES_IN_DEPENDENCY_ORDER


@contextmanager
def failing_statement(engine: Engine, statement_start: str) -> Iterator[None]:
    """Make the database fail the first statement that starts with `statement_start`, as a full disk would."""

    def fail(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(statement_start.upper()):
            raise OperationalError(statement, parameters, Exception("simulated disk full"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def _counts(engine: Engine) -> Dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in TABLES_IN_DEPENDENCY_ORDER
        }


def test_cancel_failing_at_the_refund_keeps_the_order_open(store: StoreRepository) -> None:
    before = _counts(store.engine)
    with failing_statement(store.engine, "UPDATE refunds"), pytest.raises(StoreUnavailable):
        store.cancel_order(showcase.PROCESSING.number)
    assert store.find_order(showcase.PROCESSING.number).status.value == "processing"
    assert _counts(store.engine) == before
    assert store.cancel_order(showcase.PROCESSING.number).status.value == "cancelled"


def test_return_failing_at_numbering_leaves_no_unnumbered_row(store: StoreRepository) -> None:
    before = _counts(store.engine)
    with failing_statement(store.engine, "UPDATE returns"), pytest.raises(StoreUnavailable):
        store.start_return(showcase.RETURNABLE.number, "Broken strap")
    assert _counts(store.engine) == before
    assert store.start_return(showcase.RETURNABLE.number, "Broken strap").number.startswith("RMA-")


def test_address_change_failing_after_the_update_is_rolled_back(store: StoreRepository) -> None:
    before = store.find_order(showcase.PROCESSING.number)
    with failing_statement(store.engine, "SELECT order_lines"), pytest.raises(StoreUnavailable):
        store.change_shipping_address(showcase.PROCESSING.number, "Keizersgracht 100, 1015 CS Amsterdam")
    assert store.find_order(showcase.PROCESSING.number) == before


def test_invoice_copy_failing_writes_no_message(store: StoreRepository) -> None:
    before = _counts(store.engine)
    with failing_statement(store.engine, "INSERT INTO email_outbox"), pytest.raises(StoreUnavailable):
        store.queue_invoice_copy("ORD-100002")
    assert _counts(store.engine) == before
