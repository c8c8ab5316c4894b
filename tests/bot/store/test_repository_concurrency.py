"""Two changes of one order on two worker threads at once: each sees the order as the other left it."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator, List

import pytest
from sqlalchemy import event, func, select

from bot.demo import showcase
from bot.store.errors import OrderNotCancellable
from bot.store.repository import StoreRepository
from bot.store.statuses import PaymentStatus
from bot.store.tables import invoices, orders, payments, refunds

# Long enough for the second change to reach the store while the first is between its read and its write.
OVERLAP_SECONDS = 1.0


def _cancel(store: StoreRepository) -> str:
    try:
        store.cancel_order(showcase.PROCESSING.number)
    except OrderNotCancellable:
        return "refused"
    return "cancelled"


def _order_id(store: StoreRepository) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.execute(select(orders.c.id).where(orders.c.number == showcase.PROCESSING.number)).scalar_one()
        )


def _count(store: StoreRepository, query: Any) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


@pytest.fixture(params=["a-connection-per-use", "kept-connections"])
def changed_store(request: pytest.FixtureRequest, store: StoreRepository) -> Iterator[StoreRepository]:
    """The store with the engine of most processes, and with the action server's kept connections."""
    if request.param == "a-connection-per-use":
        yield store
        return
    kept = StoreRepository.from_url(str(store.engine.url), kept_connections=2)
    yield kept
    kept.engine.dispose()


def test_two_cancellations_at_once_refund_the_order_once(changed_store: StoreRepository) -> None:
    store = changed_store
    order_id = _order_id(store)
    captured = _count(
        store,
        select(func.count())
        .select_from(payments.join(invoices, invoices.c.id == payments.c.invoice_id))
        .where(invoices.c.order_id == order_id, payments.c.status == PaymentStatus.CAPTURED),
    )
    assert captured > 0, "the showcase order has nothing to refund"
    # Each change waits at its write until the other has read the order too, or until OVERLAP_SECONDS have
    # passed: a store whose change holds the order from its read on makes the second one wait instead.
    both_read = threading.Barrier(2)

    def hold_the_write(connection: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE ORDERS"):
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait(timeout=OVERLAP_SECONDS)

    event.listen(store.engine, "before_cursor_execute", hold_the_write)
    try:
        with ThreadPoolExecutor(max_workers=2) as threads:
            outcomes: List[str] = sorted(threads.map(lambda _: _cancel(store), range(2)))
    finally:
        event.remove(store.engine, "before_cursor_execute", hold_the_write)
    assert outcomes == ["cancelled", "refused"]
    refunded = _count(store, select(func.count()).select_from(refunds).where(refunds.c.order_id == order_id))
    assert refunded == captured
