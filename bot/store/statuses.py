"""Status enums shared by the models, the repository and the actions."""

from __future__ import annotations

from enum import Enum


class OrderStatus(str, Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"

    @property
    def is_cancellable(self) -> bool:
        return self in (OrderStatus.PENDING, OrderStatus.PROCESSING)

    @property
    def accepts_address_change(self) -> bool:
        return self in (OrderStatus.PENDING, OrderStatus.PROCESSING)


class ShipmentStatus(str, Enum):
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    RETURNED_TO_SENDER = "returned_to_sender"


class PaymentStatus(str, Enum):
    CAPTURED = "captured"
    FAILED = "failed"
    REFUNDED = "refunded"


class RefundStatus(str, Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        return self in (RefundStatus.REQUESTED, RefundStatus.APPROVED)


class PaymentProblemKind(str, Enum):
    FAILED = "failed"
    DUPLICATE = "duplicate"
