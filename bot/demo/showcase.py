"""Fixed demo orders in well-known situations, for the README's "Try it" section and end-to-end tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class ShowcaseOrder:
    number: str
    customer_name: str
    customer_email: str
    situation: str


SHIPPED = ShowcaseOrder(
    "ORD-100001",
    "Maria Keller",
    "maria.keller@example.com",
    "shipped with DHL two days ago, arriving tomorrow (tracking number and ETA)",
)
PROCESSING = ShowcaseOrder(
    "ORD-100002",
    "Tom Becker",
    "tom.becker@example.com",
    "processing: can still be cancelled or sent to another address",
)
RETURNABLE = ShowcaseOrder(
    "ORD-100003",
    "Lena Fischer",
    "lena.fischer@example.com",
    "delivered 5 days ago: inside the 30-day return window",
)
DUPLICATE_CHARGE = ShowcaseOrder(
    "ORD-100004",
    "Omar Haddad",
    "omar.haddad@example.com",
    "charged twice; a refund of the second charge is requested",
)
OUTSIDE_RETURN_WINDOW = ShowcaseOrder(
    "ORD-100005",
    "Sofia Rossi",
    "sofia.rossi@example.com",
    "delivered 60 days ago: outside the return window",
)
FAILED_PAYMENT = ShowcaseOrder(
    "ORD-100006",
    "Jan Novak",
    "jan.novak@example.com",
    "pending: the card payment failed",
)

SHOWCASE_ORDERS: Tuple[ShowcaseOrder, ...] = (
    SHIPPED,
    PROCESSING,
    RETURNABLE,
    DUPLICATE_CHARGE,
    OUTSIDE_RETURN_WINDOW,
    FAILED_PAYMENT,
)
