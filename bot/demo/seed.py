"""Builds the demo store in a database: refuses to overwrite data unless forced, inserts everything in bulk."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Dict, Optional, Tuple

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Connection, Engine

from bot.demo.generator import generate_demo_records
from bot.demo.showcase import SHOWCASE_ORDERS, ShowcaseOrder
from bot.store.errors import DemoStoreExists
from bot.store.statuses import OrderStatus
from bot.store.tables import TABLES_IN_DEPENDENCY_ORDER, create_schema, orders, products
from bot.store.transactions import writing


@dataclass(frozen=True)
class DemoSummary:
    today: date
    row_counts: Dict[str, int]
    order_statuses: Dict[OrderStatus, int]
    showcase_orders: Tuple[ShowcaseOrder, ...]


def build_demo_store(engine: Engine, today: Optional[date] = None, force: bool = False) -> DemoSummary:
    """Create the store tables and fill them; with `force`, existing store rows are replaced.

    Raises DemoStoreExists when the store already holds products and `force` is false.
    """
    today = today or datetime.now(timezone.utc).date()
    records = generate_demo_records(today)
    # A transaction of its own: a store built before a table was added gets that table even when the
    # demo rows are then left as they are (DemoStoreExists rolls the second transaction back).
    with writing(engine) as connection:
        create_schema(connection)
    with writing(engine) as connection:
        existing = connection.execute(select(func.count()).select_from(products)).scalar_one()
        if existing and not force:
            order_count = connection.execute(select(func.count()).select_from(orders)).scalar_one()
            raise DemoStoreExists(
                f"The store already holds {existing} products and {order_count} orders; "
                "rebuild with --force to replace them."
            )
        for table in reversed(TABLES_IN_DEPENDENCY_ORDER):
            connection.execute(delete(table))
        for table in TABLES_IN_DEPENDENCY_ORDER:
            rows = records.rows.get(table.name)
            if rows:
                connection.execute(table.insert(), rows)
        if connection.dialect.name == "postgresql":
            _advance_id_sequences(connection)
    statuses = Counter(OrderStatus(row["status"]) for row in records.rows["orders"])
    return DemoSummary(
        today=today,
        row_counts={table.name: records.count(table.name) for table in TABLES_IN_DEPENDENCY_ORDER},
        order_statuses=dict(statuses),
        showcase_orders=SHOWCASE_ORDERS,
    )


def _advance_id_sequences(connection: Connection) -> None:
    # The demo inserts explicit ids; PostgreSQL's serial sequences must be moved past them
    # or the next row the repository inserts would collide with id 1.
    for table in TABLES_IN_DEPENDENCY_ORDER:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
