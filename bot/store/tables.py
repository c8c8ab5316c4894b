"""SQL tables of the store, declared once for SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Union

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy import (
    Enum as SqlEnum,
)
from sqlalchemy.engine import Connection, Engine

from bot.shared.sql_types import UtcDateTime
from bot.store.statuses import OrderStatus, PaymentStatus, RefundStatus, ShipmentStatus

metadata = MetaData()


def _status(enum_class: type) -> SqlEnum:
    # Plain VARCHAR with the enum's values: no native PostgreSQL type to migrate when a status is added.
    return SqlEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(32), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("category", String(64), nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("stock", Integer, nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    # Stored normalised (see identifiers.normalise_email) so lookups are a plain equality.
    Column("email", String(254), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(16), nullable=False, unique=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("status", _status(OrderStatus), nullable=False),
    Column("placed_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("shipping_address", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("subtotal_cents", Integer, nullable=False),
    Column("shipping_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("product_sku", String(32), ForeignKey("products.sku"), nullable=False),
    Column("product_name", String(120), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("line_total_cents", Integer, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("carrier", String(40), nullable=False),
    Column("tracking_number", String(40), nullable=False, unique=True),
    Column("status", _status(ShipmentStatus), nullable=False),
    Column("shipped_at", UtcDateTime(), nullable=False),
    Column("estimated_delivery", Date, nullable=False),
    Column("delivered_at", UtcDateTime(), nullable=True),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(16), nullable=False, unique=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("subtotal_cents", Integer, nullable=False),
    Column("shipping_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("description", String(160), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("line_total_cents", Integer, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("status", _status(PaymentStatus), nullable=False),
    Column("method", String(32), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("failure_reason", String(120), nullable=True),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", Integer, primary_key=True),
    # Null only inside the transaction that inserts the row and then derives the number from its id.
    Column("number", String(16), nullable=True, unique=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("payment_id", Integer, ForeignKey("payments.id"), nullable=True),
    Column("status", _status(RefundStatus), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("requested_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("paid_at", UtcDateTime(), nullable=True),
)

returns = Table(
    "returns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(16), nullable=True, unique=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("reason", String(500), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

email_outbox = Table(
    "email_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

complaints = Table(
    "complaints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("order_number", String(16), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

# One row per failed verification (wrong email, or an order number that does not exist), from any
# conversation: the lock-out counts them per order number. `order_number` is not a foreign key on purpose,
# since numbers that match no order are counted too.
verification_failures = Table(
    "verification_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_number", String(16), nullable=False),
    Column("conversation_id", String(128), nullable=False),
    Column("failed_at", UtcDateTime(), nullable=False, index=True),
    Index("ix_verification_failures_order_number_failed_at", "order_number", "failed_at"),
)

# Parents before children: the order rows are inserted in, and the reverse is the order to empty them in.
TABLES_IN_DEPENDENCY_ORDER = (
    products,
    customers,
    orders,
    order_lines,
    shipments,
    invoices,
    invoice_lines,
    payments,
    refunds,
    returns,
    email_outbox,
    complaints,
    verification_failures,
)


def create_schema(bind: Union[Engine, Connection]) -> None:
    """Create the store tables that do not exist yet; existing tables and their rows are left alone."""
    metadata.create_all(bind)


def drop_schema(bind: Union[Engine, Connection]) -> None:
    metadata.drop_all(bind)
