"""Accumulates the rows of the demo store, with ids and numbers assigned in insertion order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot.store.catalog import CURRENCY, CatalogProduct
from bot.store.identifiers import (
    invoice_number_for,
    order_number_for,
    refund_number_for,
    return_number_for,
)
from bot.store.money import to_cents, totals_for
from bot.store.statuses import OrderStatus, PaymentStatus, RefundStatus, ShipmentStatus

Row = Dict[str, Any]


@dataclass(frozen=True)
class OrderRef:
    id: int
    number: str
    invoice_id: int
    total_cents: int
    placed_at: datetime


@dataclass
class DemoRecords:
    """Rows per table name, ready for bulk inserts in `models.TABLES_IN_DEPENDENCY_ORDER`."""

    rows: Dict[str, List[Row]] = field(default_factory=dict)

    def _append(self, table: str, row: Row) -> int:
        # Whole seconds: nobody reads microseconds off an order, and they make the data noisy to compare.
        for key, value in row.items():
            if isinstance(value, datetime):
                row[key] = value.replace(microsecond=0)
        table_rows = self.rows.setdefault(table, [])
        row_id = len(table_rows) + 1
        row["id"] = row_id
        table_rows.append(row)
        return row_id

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))

    def add_product(self, product: CatalogProduct, stock: int) -> None:
        self._append(
            "products",
            {
                "sku": product.sku,
                "name": product.name,
                "category": product.category.value,
                "price_cents": to_cents(product.price),
                "currency": product.currency,
                "stock": stock,
            },
        )

    def add_customer(self, name: str, email: str, created_at: datetime) -> int:
        return self._append("customers", {"name": name, "email": email, "created_at": created_at})

    def add_order(
        self,
        customer_id: int,
        status: OrderStatus,
        placed_at: datetime,
        updated_at: datetime,
        address: str,
        items: Sequence[Tuple[CatalogProduct, int]],
    ) -> OrderRef:
        order_id = self.count("orders") + 1
        number = order_number_for(order_id)
        totals = totals_for(product.price * quantity for product, quantity in items)
        money = {
            "subtotal_cents": to_cents(totals.subtotal),
            "shipping_cents": to_cents(totals.shipping),
            "tax_cents": to_cents(totals.tax),
            "total_cents": to_cents(totals.total),
        }
        self._append(
            "orders",
            {
                "number": number,
                "customer_id": customer_id,
                "status": status,
                "placed_at": placed_at,
                "updated_at": updated_at,
                "shipping_address": address,
                "currency": CURRENCY,
                **money,
            },
        )
        invoice_id = self._append(
            "invoices",
            {
                "number": invoice_number_for(number),
                "order_id": order_id,
                "issued_at": placed_at,
                "currency": CURRENCY,
                **money,
            },
        )
        for product, quantity in items:
            unit_cents = to_cents(product.price)
            self._append(
                "order_lines",
                {
                    "order_id": order_id,
                    "product_sku": product.sku,
                    "product_name": product.name,
                    "quantity": quantity,
                    "unit_price_cents": unit_cents,
                    "line_total_cents": unit_cents * quantity,
                },
            )
            self._append(
                "invoice_lines",
                {
                    "invoice_id": invoice_id,
                    "description": f"{product.name} ({product.sku})",
                    "quantity": quantity,
                    "unit_price_cents": unit_cents,
                    "line_total_cents": unit_cents * quantity,
                },
            )
        return OrderRef(order_id, number, invoice_id, money["total_cents"], placed_at)

    def add_shipment(
        self,
        order: OrderRef,
        carrier: str,
        tracking_number: str,
        status: ShipmentStatus,
        shipped_at: datetime,
        estimated_delivery: date,
        delivered_at: Optional[datetime] = None,
    ) -> None:
        self._append(
            "shipments",
            {
                "order_id": order.id,
                "carrier": carrier,
                "tracking_number": tracking_number,
                "status": status,
                "shipped_at": shipped_at,
                "estimated_delivery": estimated_delivery,
                "delivered_at": delivered_at,
            },
        )

    def add_payment(
        self,
        order: OrderRef,
        status: PaymentStatus,
        method: str,
        created_at: datetime,
        failure_reason: Optional[str] = None,
    ) -> int:
        return self._append(
            "payments",
            {
                "invoice_id": order.invoice_id,
                "status": status,
                "method": method,
                "amount_cents": order.total_cents,
                "created_at": created_at,
                "failure_reason": failure_reason,
            },
        )

    def add_refund(
        self,
        order: OrderRef,
        payment_id: Optional[int],
        status: RefundStatus,
        reason: str,
        requested_at: datetime,
        updated_at: datetime,
    ) -> None:
        refund_id = self.count("refunds") + 1
        self._append(
            "refunds",
            {
                "number": refund_number_for(refund_id),
                "order_id": order.id,
                "payment_id": payment_id,
                "status": status,
                "amount_cents": order.total_cents,
                "reason": reason,
                "requested_at": requested_at,
                "updated_at": updated_at,
                "paid_at": updated_at if status is RefundStatus.PAID else None,
            },
        )

    def add_return(self, order: OrderRef, reason: str, created_at: datetime) -> None:
        return_id = self.count("returns") + 1
        self._append(
            "returns",
            {
                "number": return_number_for(return_id),
                "order_id": order.id,
                "reason": reason,
                "created_at": created_at,
            },
        )

    def add_complaint(self, conversation_id: str, text: str, order_number: Optional[str], created_at: datetime) -> None:
        self._append(
            "complaints",
            {
                "conversation_id": conversation_id,
                "text": text,
                "order_number": order_number,
                "created_at": created_at,
            },
        )
