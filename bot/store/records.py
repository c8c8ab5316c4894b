"""Frozen records the repository hands out: plain data, never ORM objects or rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Optional, Tuple

from bot.store.statuses import (
    OrderStatus,
    PaymentProblemKind,
    RefundStatus,
    ShipmentStatus,
)


@dataclass(frozen=True)
class ProductView:
    sku: str
    name: str
    category: str
    price: Decimal
    currency: str
    stock: int
    features: Tuple[str, ...]

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


@dataclass(frozen=True)
class OrderLineView:
    sku: str
    product_name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class OrderView:
    number: str
    status: OrderStatus
    placed_at: datetime
    lines: Tuple[OrderLineView, ...]
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal
    currency: str
    shipping_address: str
    customer_name: str
    customer_email: str


@dataclass(frozen=True)
class OrderSummary:
    number: str
    status: OrderStatus
    placed_at: datetime
    total: Decimal
    currency: str
    item_count: int


@dataclass(frozen=True)
class ShipmentView:
    order_number: str
    carrier: str
    tracking_number: str
    status: ShipmentStatus
    shipped_at: datetime
    estimated_delivery: date
    delivered_at: Optional[datetime]


@dataclass(frozen=True)
class InvoiceLineView:
    description: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class InvoiceView:
    number: str
    order_number: str
    issued_at: datetime
    lines: Tuple[InvoiceLineView, ...]
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True)
class PaymentProblem:
    kind: PaymentProblemKind
    amount: Decimal
    currency: str
    occurred_at: datetime
    detail: Optional[str]


@dataclass(frozen=True)
class RefundView:
    number: str
    order_number: str
    status: RefundStatus
    amount: Decimal
    currency: str
    reason: str
    requested_at: datetime
    updated_at: datetime
    paid_at: Optional[datetime]


@dataclass(frozen=True)
class ReturnView:
    number: str
    order_number: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class ComplaintView:
    id: int
    conversation_id: str
    text: str
    order_number: Optional[str]
    created_at: datetime


@dataclass(frozen=True)
class CustomerView:
    id: int
    name: str
    email: str


@dataclass(frozen=True)
class VerificationStanding:
    """How an order number stands after failed verifications: how many lately, and locked until when."""

    order_number: str
    failed_attempts: int
    counted_since: datetime
    locked_until: Optional[datetime]

    @property
    def locked(self) -> bool:
        return self.locked_until is not None
