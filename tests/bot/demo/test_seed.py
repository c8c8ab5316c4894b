"""The demo store: sizes, every status present, the showcase orders, determinism and idempotence."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Dict, List

import pytest
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import Engine

from bot.demo import showcase
from bot.demo.generator import generate_demo_records, start_of_day
from bot.demo.seed import build_demo_store
from bot.shared.database import create_store_engine
from bot.store.errors import DemoStoreExists
from bot.store.repository import StoreRepository
from bot.store.statuses import OrderStatus, PaymentStatus, RefundStatus, ShipmentStatus
from bot.store.tables import (
    TABLES_IN_DEPENDENCY_ORDER,
    complaints,
    customers,
    invoices,
    order_lines,
    orders,
    payments,
    products,
    refunds,
    returns,
    shipments,
)
from tests.bot.conftest import NOW, TODAY


def _count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _distinct(engine: Engine, column) -> set:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return set(connection.execute(select(column).distinct()).scalars())


def _dump(engine: Engine) -> Dict[str, List[tuple]]:
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table).order_by(table.c.id))]
            for table in TABLES_IN_DEPENDENCY_ORDER
        }


@pytest.fixture
def demo_engine(shared_store: StoreRepository) -> Engine:
    return shared_store.engine


def test_sizes(demo_engine: Engine) -> None:
    assert _count(demo_engine, products) == 64
    assert _count(demo_engine, customers) == 300
    assert _count(demo_engine, orders) == 2000
    assert _count(demo_engine, invoices) == 2000
    assert _count(demo_engine, order_lines) >= 2000
    assert _count(demo_engine, complaints) > 0


def test_every_status_is_present(demo_engine: Engine) -> None:
    assert _distinct(demo_engine, orders.c.status) == set(OrderStatus)
    assert _distinct(demo_engine, refunds.c.status) == set(RefundStatus)
    assert _distinct(demo_engine, payments.c.status) == set(PaymentStatus)
    assert {ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED} <= _distinct(demo_engine, shipments.c.status)


def test_stock_has_some_products_sold_out(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        stocks = connection.execute(select(products.c.stock)).scalars().all()
    assert 0 < stocks.count(0) < len(stocks)
    assert all(stock >= 0 for stock in stocks)


def test_shipments_exactly_for_orders_that_left_the_warehouse(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        shipped = connection.execute(
            select(orders.c.status, func.count(shipments.c.id))
            .outerjoin(shipments, shipments.c.order_id == orders.c.id)
            .group_by(orders.c.status)
        ).all()
        without_delivery_date = connection.execute(
            select(func.count())
            .select_from(shipments.join(orders, orders.c.id == shipments.c.order_id))
            .where(
                orders.c.status.in_([OrderStatus.DELIVERED, OrderStatus.RETURNED]), shipments.c.delivered_at.is_(None)
            )
        ).scalar_one()
    by_status = {OrderStatus(status): count for status, count in shipped}
    assert by_status[OrderStatus.PENDING] == by_status[OrderStatus.PROCESSING] == 0
    assert by_status[OrderStatus.CANCELLED] == 0
    assert min(by_status[OrderStatus.SHIPPED], by_status[OrderStatus.DELIVERED]) > 0
    assert without_delivery_date == 0
    assert _count(demo_engine, returns) == _distinct_count_of_returned(demo_engine)


def _distinct_count_of_returned(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(orders).where(orders.c.status == OrderStatus.RETURNED)
        ).scalar_one()


def test_failed_payments_and_duplicate_charges_exist(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        failed = connection.execute(
            select(func.count()).select_from(payments).where(payments.c.status == PaymentStatus.FAILED)
        ).scalar_one()
        charged_twice = connection.execute(
            select(payments.c.invoice_id)
            .where(payments.c.status == PaymentStatus.CAPTURED)
            .group_by(payments.c.invoice_id)
            .having(func.count() > 1)
        ).all()
    assert failed > 0
    assert len(charged_twice) > 1


def test_identifiers_have_the_documented_formats(demo_engine: Engine) -> None:
    formats = {
        orders.c.number: r"ORD-\d{6}",
        invoices.c.number: r"INV-\d{6}",
        returns.c.number: r"RMA-\d{6}",
        refunds.c.number: r"RF-\d{6}",
    }
    for column, pattern in formats.items():
        values = _distinct(demo_engine, column)
        assert values and all(re.fullmatch(pattern, value) for value in values), column


def test_nothing_happened_after_the_build_day(demo_engine: Engine) -> None:
    built = start_of_day(TODAY)
    with demo_engine.connect() as connection:
        latest = [
            connection.execute(select(func.max(column))).scalar_one()
            for column in (
                orders.c.placed_at,
                orders.c.updated_at,
                payments.c.created_at,
                refunds.c.updated_at,
                returns.c.created_at,
                shipments.c.delivered_at,
            )
        ]
    assert all(moment <= built for moment in latest)


def test_showcase_orders_are_in_their_situations(shared_store: StoreRepository) -> None:
    for order in showcase.SHOWCASE_ORDERS:
        assert shared_store.verify_customer(order.number, order.customer_email), order.number
        assert shared_store.find_order(order.number).customer_name == order.customer_name
    status = {order.number: shared_store.find_order(order.number).status for order in showcase.SHOWCASE_ORDERS}
    assert status == {
        "ORD-100001": OrderStatus.SHIPPED,
        "ORD-100002": OrderStatus.PROCESSING,
        "ORD-100003": OrderStatus.DELIVERED,
        "ORD-100004": OrderStatus.DELIVERED,
        "ORD-100005": OrderStatus.DELIVERED,
        "ORD-100006": OrderStatus.PENDING,
    }
    assert shared_store.shipment_for("ORD-100001").estimated_delivery == TODAY + timedelta(days=1)
    returnable = shared_store.shipment_for("ORD-100003").delivered_at
    assert timedelta(days=4) < NOW - returnable < timedelta(days=6)
    too_old = shared_store.shipment_for("ORD-100005").delivered_at
    assert timedelta(days=59) < NOW - too_old < timedelta(days=61)


def test_generation_is_deterministic_for_a_date() -> None:
    assert generate_demo_records(TODAY).rows == generate_demo_records(TODAY).rows


def test_another_date_shifts_the_times_but_keeps_the_contents() -> None:
    first = generate_demo_records(TODAY).rows
    later = generate_demo_records(TODAY + timedelta(days=10)).rows
    assert [row["email"] for row in first["customers"]] == [row["email"] for row in later["customers"]]
    for before, after in zip(first["orders"], later["orders"], strict=True):
        assert (before["number"], before["status"], before["total_cents"]) == (
            after["number"],
            after["status"],
            after["total_cents"],
        )
        assert after["placed_at"] - before["placed_at"] == timedelta(days=10)


def test_two_builds_store_identical_rows(tmp_path: Path) -> None:
    first = create_store_engine(f"sqlite:///{tmp_path / 'first.db'}")
    second = create_store_engine(f"sqlite:///{tmp_path / 'second.db'}")
    build_demo_store(first, today=TODAY)
    build_demo_store(second, today=TODAY)
    assert _dump(first) == _dump(second)


def test_an_existing_store_is_left_alone_unless_forced(store_engine: Engine) -> None:
    with store_engine.begin() as connection:
        connection.execute(
            insert(complaints).values(conversation_id="kept", text="still here", order_number=None, created_at=NOW)
        )
    before = _dump(store_engine)
    with pytest.raises(DemoStoreExists, match="--force"):
        build_demo_store(store_engine, today=TODAY)
    assert _dump(store_engine) == before

    summary = build_demo_store(store_engine, today=TODAY, force=True)
    assert summary.row_counts["orders"] == _count(store_engine, orders) == 2000
    assert _count(store_engine, complaints) == summary.row_counts["complaints"]
    # After a forced rebuild the ids continue past the demo rows, so new rows can still be inserted.
    repository = StoreRepository(store_engine, clock=lambda: NOW)
    assert repository.record_complaint("after-rebuild", "Works").id > summary.row_counts["complaints"]


def test_summary_reports_what_was_built(tmp_path: Path) -> None:
    # A plain (not "future") engine, as other parts of the project create them.
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    summary = build_demo_store(engine, today=date(2026, 1, 5))
    assert summary.today == date(2026, 1, 5)
    assert summary.row_counts["customers"] == 300
    assert sum(summary.order_statuses.values()) == 2000
    assert set(summary.order_statuses) == set(OrderStatus)
    assert summary.showcase_orders == showcase.SHOWCASE_ORDERS
