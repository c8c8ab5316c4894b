"""Deterministic contents of the demo store: the same date always yields the same rows.

Identifiers, names, baskets and statuses come from a fixed seed; timestamps are laid out backwards from
the start (00:00 UTC) of the day the store is built for, so return windows and delivery estimates stay
meaningful whenever the demo is rebuilt.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List, Tuple

from bot.demo import people, showcase
from bot.demo.generated_records import DemoRecords, OrderRef
from bot.store.catalog import PRODUCTS, CatalogProduct, product_by_sku
from bot.store.statuses import OrderStatus, PaymentStatus, RefundStatus, ShipmentStatus

SEED = 20261120
CUSTOMER_COUNT = 300
ORDER_COUNT = 2000
OUT_OF_STOCK_COUNT = 8
COMPLAINT_COUNT = 10
DUPLICATE_CHARGE_RATE = 0.03
STATUS_WEIGHTS: Tuple[Tuple[OrderStatus, int], ...] = (
    (OrderStatus.PENDING, 5),
    (OrderStatus.PROCESSING, 10),
    (OrderStatus.SHIPPED, 14),
    (OrderStatus.DELIVERED, 55),
    (OrderStatus.CANCELLED, 8),
    (OrderStatus.RETURNED, 8),
)


def start_of_day(today: date) -> datetime:
    return datetime.combine(today, time(0, 0), tzinfo=timezone.utc)


def generate_demo_records(today: date) -> DemoRecords:
    return _DemoGenerator(today).generate()


class _DemoGenerator:
    def __init__(self, today: date) -> None:
        self._rng = random.Random(SEED)
        self._today = today
        self._midnight = start_of_day(today)
        self._records = DemoRecords()
        self._addresses: List[str] = []

    def generate(self) -> DemoRecords:
        self._products()
        self._customers()
        self._showcase_orders()
        while self._records.count("orders") < ORDER_COUNT:
            self._random_order()
        self._complaints()
        return self._records

    # helpers

    def _ago(self, days: float, hours: float = 0.0) -> datetime:
        return self._midnight - timedelta(days=days, hours=hours)

    def _address(self) -> str:
        postcode, city, country = self._rng.choice(people.CITIES)
        street = self._rng.choice(people.STREETS)
        return f"{street} {self._rng.randint(1, 180)}, {postcode} {city}, {country}"

    def _tracking(self, order: OrderRef) -> Tuple[str, str]:
        carrier, prefix = self._rng.choice(people.CARRIERS)
        # The order id inside the number keeps tracking numbers unique without a lookup.
        return carrier, f"{prefix}{order.id:06d}{self._rng.randrange(10**8):08d}"

    def _basket(self) -> List[Tuple[CatalogProduct, int]]:
        size = self._rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        chosen = self._rng.sample(PRODUCTS, size)
        return [(product, self._rng.choices((1, 2), weights=(85, 15))[0]) for product in chosen]

    def _method(self) -> str:
        return self._rng.choice(people.PAYMENT_METHODS)

    # tables

    def _products(self) -> None:
        out_of_stock = set(self._rng.sample([product.sku for product in PRODUCTS], OUT_OF_STOCK_COUNT))
        for product in PRODUCTS:
            stock = 0 if product.sku in out_of_stock else self._rng.randint(3, 150)
            self._records.add_product(product, stock)

    def _customers(self) -> None:
        used_emails = set()
        for order in showcase.SHOWCASE_ORDERS:
            self._records.add_customer(order.customer_name, order.customer_email, self._ago(400))
            used_emails.add(order.customer_email)
            self._addresses.append(self._address())
        while self._records.count("customers") < CUSTOMER_COUNT:
            first, last = self._rng.choice(people.FIRST_NAMES), self._rng.choice(people.LAST_NAMES)
            domain = self._rng.choice(people.EMAIL_DOMAINS)
            email = f"{first}.{last}@{domain}".lower()
            if email in used_emails:
                email = f"{first}.{last}{self._records.count('customers') + 1}@{domain}".lower()
            used_emails.add(email)
            self._records.add_customer(f"{first} {last}", email, self._ago(self._rng.uniform(250, 900)))
            self._addresses.append(self._address())

    def _complaints(self) -> None:
        for index in range(COMPLAINT_COUNT):
            order_id = self._rng.randint(7, ORDER_COUNT)
            number = self._records.rows["orders"][order_id - 1]["number"]
            self._records.add_complaint(
                f"demo-conversation-{index + 1:03d}",
                people.COMPLAINTS[index % len(people.COMPLAINTS)],
                number if index % 3 else None,
                self._ago(self._rng.uniform(0.5, 60)),
            )

    # the six fixed orders, in SHOWCASE_ORDERS order (ids 1-6)

    def _showcase_orders(self) -> None:
        def item(sku: str, quantity: int = 1) -> Tuple[CatalogProduct, int]:
            product = product_by_sku(sku)
            if product is None:
                raise KeyError(f"showcase order refers to unknown SKU {sku}")
            return product, quantity

        records = self._records
        shipped = records.add_order(
            1,
            OrderStatus.SHIPPED,
            self._ago(3, -10),
            self._ago(2, -15),
            self._addresses[0],
            [item("AUD-X200"), item("PWR-20W")],
        )
        records.add_payment(shipped, PaymentStatus.CAPTURED, "card", self._ago(3, -10))
        records.add_shipment(
            shipped,
            "DHL",
            "JD000001462083",
            ShipmentStatus.IN_TRANSIT,
            self._ago(2, -15),
            self._today + timedelta(days=1),
        )

        processing = records.add_order(
            2,
            OrderStatus.PROCESSING,
            self._ago(1, -9),
            self._ago(1, -9),
            self._addresses[1],
            [item("PHN-P10PL"), item("ACC-CASEP10")],
        )
        records.add_payment(processing, PaymentStatus.CAPTURED, "paypal", self._ago(1, -9))

        returnable = records.add_order(
            3, OrderStatus.DELIVERED, self._ago(9, -11), self._ago(5, -14), self._addresses[2], [item("WRB-PW3")]
        )
        records.add_payment(returnable, PaymentStatus.CAPTURED, "card", self._ago(9, -11))
        records.add_shipment(
            returnable,
            "UPS",
            "1Z000003918274",
            ShipmentStatus.DELIVERED,
            self._ago(7, -16),
            (self._ago(5)).date(),
            self._ago(5, -14),
        )

        duplicate = records.add_order(
            4, OrderStatus.DELIVERED, self._ago(14, -12), self._ago(10, -13), self._addresses[3], [item("LAP-O15")]
        )
        records.add_payment(duplicate, PaymentStatus.CAPTURED, "card", self._ago(14, -12))
        second = records.add_payment(
            duplicate, PaymentStatus.CAPTURED, "card", self._ago(14, -12) + timedelta(minutes=2)
        )
        records.add_shipment(
            duplicate,
            "DPD",
            "DP000004551230",
            ShipmentStatus.DELIVERED,
            self._ago(13, -10),
            self._ago(10).date(),
            self._ago(10, -13),
        )
        records.add_refund(
            duplicate, second, RefundStatus.REQUESTED, "Duplicate charge", self._ago(2, -10), self._ago(2, -10)
        )

        late = records.add_order(
            5, OrderStatus.DELIVERED, self._ago(64, -9), self._ago(60, -12), self._addresses[4], [item("AUD-S2")]
        )
        records.add_payment(late, PaymentStatus.CAPTURED, "klarna", self._ago(64, -9))
        records.add_shipment(
            late,
            "GLS",
            "GL000005730215",
            ShipmentStatus.DELIVERED,
            self._ago(62, -14),
            self._ago(60).date(),
            self._ago(60, -12),
        )

        failed = records.add_order(
            6, OrderStatus.PENDING, self._ago(1, -20), self._ago(1, -20), self._addresses[5], [item("TAB-T11")]
        )
        records.add_payment(
            failed, PaymentStatus.FAILED, "card", self._ago(1, -20), "card declined by the issuing bank"
        )

    # everything else

    def _random_order(self) -> None:
        rng = self._rng
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], weights=[w for _, w in STATUS_WEIGHTS])[0]
        customer_id = rng.randint(1, CUSTOMER_COUNT)
        # Most customers keep their address; some send an order elsewhere (gift, office).
        address = self._addresses[customer_id - 1] if rng.random() < 0.85 else self._address()
        placed_days_ago = {
            OrderStatus.PENDING: rng.uniform(0.05, 2),
            OrderStatus.PROCESSING: rng.uniform(0.1, 3),
            OrderStatus.SHIPPED: rng.uniform(2, 8),
            OrderStatus.DELIVERED: rng.uniform(4, 240),
            OrderStatus.CANCELLED: rng.uniform(1, 200),
            OrderStatus.RETURNED: rng.uniform(20, 240),
        }[status]
        placed_at = self._ago(placed_days_ago)
        order = self._records.add_order(customer_id, status, placed_at, placed_at, address, self._basket())
        if status is OrderStatus.PENDING:
            self._pending(order)
        elif status is OrderStatus.CANCELLED:
            self._cancelled(order)
        else:
            self._paid_order(order, status)

    def _set_updated_at(self, order: OrderRef, updated_at: datetime) -> None:
        self._records.rows["orders"][order.id - 1]["updated_at"] = updated_at

    def _pending(self, order: OrderRef) -> None:
        if self._rng.random() < 0.4:
            self._records.add_payment(
                order,
                PaymentStatus.FAILED,
                self._method(),
                order.placed_at + timedelta(minutes=1),
                self._rng.choice(people.PAYMENT_FAILURES),
            )

    def _cancelled(self, order: OrderRef) -> None:
        rng, records = self._rng, self._records
        cancelled_at = order.placed_at + timedelta(hours=rng.uniform(1, 20))
        self._set_updated_at(order, cancelled_at)
        if rng.random() < 0.3:
            records.add_payment(
                order,
                PaymentStatus.FAILED,
                self._method(),
                order.placed_at + timedelta(minutes=1),
                rng.choice(people.PAYMENT_FAILURES),
            )
            return
        refund_status = RefundStatus.PAID if rng.random() < 0.8 else RefundStatus.APPROVED
        payment_status = PaymentStatus.REFUNDED if refund_status is RefundStatus.PAID else PaymentStatus.CAPTURED
        payment_id = records.add_payment(order, payment_status, self._method(), order.placed_at + timedelta(minutes=1))
        records.add_refund(
            order,
            payment_id,
            refund_status,
            "Order cancelled by the customer",
            cancelled_at,
            self._settled(cancelled_at, refund_status),
        )

    def _settled(self, requested_at: datetime, status: RefundStatus) -> datetime:
        if status is RefundStatus.REQUESTED:
            return requested_at
        return min(requested_at + timedelta(days=self._rng.uniform(0.5, 6)), self._ago(0, 1))

    def _paid_order(self, order: OrderRef, status: OrderStatus) -> None:
        rng, records = self._rng, self._records
        paid_at = order.placed_at + timedelta(minutes=1)
        records.add_payment(order, PaymentStatus.CAPTURED, self._method(), paid_at)
        if rng.random() < DUPLICATE_CHARGE_RATE:
            self._duplicate_charge(order, paid_at)
        if status is OrderStatus.PROCESSING:
            return
        shipped_at = min(order.placed_at + timedelta(hours=rng.uniform(10, 40)), self._ago(0, 2))
        carrier, tracking = self._tracking(order)
        eta = (shipped_at + timedelta(days=rng.randint(2, 5))).date()
        if status is OrderStatus.SHIPPED:
            in_transit = ShipmentStatus.OUT_FOR_DELIVERY if eta == self._today else ShipmentStatus.IN_TRANSIT
            records.add_shipment(order, carrier, tracking, in_transit, shipped_at, eta)
            self._set_updated_at(order, shipped_at)
            return
        delivered_at = min(shipped_at + timedelta(days=rng.uniform(1, 5)), self._ago(0, 1))
        records.add_shipment(order, carrier, tracking, ShipmentStatus.DELIVERED, shipped_at, eta, delivered_at)
        self._set_updated_at(order, delivered_at)
        if status is OrderStatus.RETURNED:
            self._returned(order, delivered_at)

    def _duplicate_charge(self, order: OrderRef, paid_at: datetime) -> None:
        rng, records = self._rng, self._records
        noticed = rng.random()
        status = (
            None if noticed < 0.4 else rng.choice((RefundStatus.REQUESTED, RefundStatus.APPROVED, RefundStatus.PAID))
        )
        payment_status = PaymentStatus.REFUNDED if status is RefundStatus.PAID else PaymentStatus.CAPTURED
        second = records.add_payment(order, payment_status, "card", paid_at + timedelta(minutes=3))
        if status is not None:
            requested_at = min(paid_at + timedelta(days=rng.uniform(1, 3)), self._ago(0, 3))
            records.add_refund(
                order, second, status, "Duplicate charge", requested_at, self._settled(requested_at, status)
            )

    def _returned(self, order: OrderRef, delivered_at: datetime) -> None:
        rng, records = self._rng, self._records
        returned_at = min(delivered_at + timedelta(days=rng.uniform(1, 25)), self._ago(0, 2))
        records.add_return(order, rng.choice(people.RETURN_REASONS), returned_at)
        status = rng.choices(list(RefundStatus), weights=(15, 15, 60, 10))[0]
        first_payment = self._first_payment_row(order)
        if status is RefundStatus.PAID:
            first_payment["status"] = PaymentStatus.REFUNDED
        records.add_refund(
            order, first_payment["id"], status, "Returned item", returned_at, self._settled(returned_at, status)
        )
        self._set_updated_at(order, returned_at)

    def _first_payment_row(self, order: OrderRef) -> Dict[str, Any]:
        return next(
            row
            for row in self._records.rows["payments"]
            if row["invoice_id"] == order.invoice_id and row["status"] is not PaymentStatus.FAILED
        )
