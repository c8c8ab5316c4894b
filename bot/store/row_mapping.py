"""Conversion of result rows into the frozen views the repository returns."""

from __future__ import annotations

from typing import Any, Sequence, Tuple

from bot.store.catalog import product_by_sku
from bot.store.money import from_cents
from bot.store.records import (
    InvoiceLineView,
    InvoiceView,
    OrderLineView,
    OrderSummary,
    OrderView,
    ProductView,
    RefundView,
    ShipmentView,
)
from bot.store.statuses import OrderStatus, RefundStatus, ShipmentStatus


def product_view(row: Any) -> ProductView:
    catalog_entry = product_by_sku(row.sku)
    return ProductView(
        sku=row.sku,
        name=row.name,
        category=row.category,
        price=from_cents(row.price_cents),
        currency=row.currency,
        stock=row.stock,
        features=catalog_entry.features if catalog_entry else (),
    )


def order_view(order: Any, lines: Sequence[Any]) -> OrderView:
    """`order` is an orders row joined with the customer's name and email."""
    return OrderView(
        number=order.number,
        status=OrderStatus(order.status),
        placed_at=order.placed_at,
        lines=tuple(
            OrderLineView(
                sku=line.product_sku,
                product_name=line.product_name,
                quantity=line.quantity,
                unit_price=from_cents(line.unit_price_cents),
                line_total=from_cents(line.line_total_cents),
            )
            for line in lines
        ),
        subtotal=from_cents(order.subtotal_cents),
        shipping=from_cents(order.shipping_cents),
        tax=from_cents(order.tax_cents),
        total=from_cents(order.total_cents),
        currency=order.currency,
        shipping_address=order.shipping_address,
        customer_name=order.customer_name,
        customer_email=order.customer_email,
    )


def order_summary(row: Any) -> OrderSummary:
    return OrderSummary(
        number=row.number,
        status=OrderStatus(row.status),
        placed_at=row.placed_at,
        total=from_cents(row.total_cents),
        currency=row.currency,
        item_count=int(row.item_count or 0),
    )


def shipment_view(order_number: str, row: Any) -> ShipmentView:
    return ShipmentView(
        order_number=order_number,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        status=ShipmentStatus(row.status),
        shipped_at=row.shipped_at,
        estimated_delivery=row.estimated_delivery,
        delivered_at=row.delivered_at,
    )


def invoice_view(order_number: str, invoice: Any, lines: Sequence[Any]) -> InvoiceView:
    return InvoiceView(
        number=invoice.number,
        order_number=order_number,
        issued_at=invoice.issued_at,
        lines=tuple(
            InvoiceLineView(
                description=line.description,
                quantity=line.quantity,
                unit_price=from_cents(line.unit_price_cents),
                line_total=from_cents(line.line_total_cents),
            )
            for line in lines
        ),
        subtotal=from_cents(invoice.subtotal_cents),
        shipping=from_cents(invoice.shipping_cents),
        tax=from_cents(invoice.tax_cents),
        total=from_cents(invoice.total_cents),
        currency=invoice.currency,
    )


def refund_view(order_number: str, currency: str, row: Any) -> RefundView:
    return RefundView(
        number=row.number,
        order_number=order_number,
        status=RefundStatus(row.status),
        amount=from_cents(row.amount_cents),
        currency=currency,
        reason=row.reason,
        requested_at=row.requested_at,
        updated_at=row.updated_at,
        paid_at=row.paid_at,
    )


def sorted_by_id(rows: Sequence[Any]) -> Tuple[Any, ...]:
    return tuple(sorted(rows, key=lambda row: row.id))
