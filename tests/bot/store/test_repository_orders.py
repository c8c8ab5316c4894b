"""Contract of the order and customer methods of StoreRepository, run against every backend."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.demo import showcase
from bot.store.errors import AddressChangeNotAllowed, InvalidAddress, OrderNotCancellable, OrderNotFound
from bot.store.repository import StoreRepository
from bot.store.statuses import OrderStatus, RefundStatus, ShipmentStatus
from bot.store.tables import orders, refunds
from tests.bot.conftest import NOW, TODAY


@pytest.mark.parametrize("typed", ["ORD-100001", "ord100001", "#100001", "100001", "ord 100001"])
def test_find_order_accepts_every_typed_form(shared_store: StoreRepository, typed: str) -> None:
    order = shared_store.find_order(typed)
    assert order is not None
    assert order.number == "ORD-100001"


def test_find_order_returns_the_whole_order(shared_store: StoreRepository) -> None:
    order = shared_store.find_order(showcase.SHIPPED.number)
    assert order is not None
    assert order.status is OrderStatus.SHIPPED
    assert order.customer_name == showcase.SHIPPED.customer_name
    assert order.customer_email == showcase.SHIPPED.customer_email
    assert [line.sku for line in order.lines] == ["AUD-X200", "PWR-20W"]
    assert sum(line.line_total for line in order.lines) == order.subtotal
    assert order.subtotal + order.shipping + order.tax == order.total
    assert order.total == Decimal("201.60") and order.currency == "EUR"
    assert order.placed_at.tzinfo is not None and order.placed_at < NOW
    assert any(char.isdigit() for char in order.shipping_address)


def test_unknown_or_malformed_orders_are_none(shared_store: StoreRepository) -> None:
    assert shared_store.find_order("ORD-999999") is None
    assert shared_store.find_order("ORD-12") is None
    assert shared_store.find_order("") is None
    assert shared_store.find_order(None) is None


@pytest.mark.parametrize(
    "email", ["maria.keller@example.com", "  Maria.Keller@EXAMPLE.com ", "maria.keller@example.com\n"]
)
def test_verify_customer_ignores_case_and_whitespace(shared_store: StoreRepository, email: str) -> None:
    assert shared_store.verify_customer("ord100001", email)


@pytest.mark.parametrize(
    "order_number, email",
    [
        ("ORD-100001", "tom.becker@example.com"),
        ("ORD-100002", "maria.keller@example.com"),
        ("ORD-999999", "maria.keller@example.com"),
        ("ORD-100001", ""),
        ("ORD-100001", None),
        ("", "maria.keller@example.com"),
        ("ORD-100001", "' OR '1'='1"),
        ("ORD-100001' OR '1'='1", "maria.keller@example.com"),
        ("ORD-100001", "%@example.com"),
    ],
)
def test_verify_customer_refuses_mismatches(shared_store: StoreRepository, order_number: str, email: str) -> None:
    assert not shared_store.verify_customer(order_number, email)


def test_verified_customer_names_who_placed_the_order(shared_store: StoreRepository) -> None:
    customer = shared_store.verified_customer("ORD-100002", "TOM.BECKER@example.com")
    assert customer is not None
    assert (customer.name, customer.email) == ("Tom Becker", "tom.becker@example.com")
    assert shared_store.find_customer("tom.becker@example.com") == customer
    assert shared_store.verified_customer("ORD-100001", "tom.becker@example.com") is None


def test_find_customer(shared_store: StoreRepository) -> None:
    customer = shared_store.find_customer(" Tom.Becker@example.com")
    assert customer is not None and customer.name == "Tom Becker"
    assert shared_store.find_customer("nobody@example.com") is None
    assert shared_store.find_customer("") is None


def test_orders_for_customer_lists_the_newest_first(shared_store: StoreRepository) -> None:
    summaries = shared_store.orders_for_customer("MARIA.KELLER@example.com", limit=3)
    assert len(summaries) in (1, 2, 3)
    assert "ORD-100001" in [
        summary.number for summary in shared_store.orders_for_customer("maria.keller@example.com", 50)
    ]
    placed = [summary.placed_at for summary in summaries]
    assert placed == sorted(placed, reverse=True)
    assert all(summary.item_count >= 1 and summary.total > 0 for summary in summaries)
    assert shared_store.orders_for_customer("maria.keller@example.com", limit=0) == []
    assert len(shared_store.orders_for_customer("maria.keller@example.com", limit=10**12)) <= 100
    assert shared_store.orders_for_customer("nobody@example.com") == []


def test_item_count_adds_up_quantities(shared_store: StoreRepository) -> None:
    summaries = shared_store.orders_for_customer(showcase.SHIPPED.customer_email, limit=50)
    shipped = next(summary for summary in summaries if summary.number == showcase.SHIPPED.number)
    assert shipped.item_count == 2


def test_shipment_of_a_shipped_order(shared_store: StoreRepository) -> None:
    shipment = shared_store.shipment_for("100001")
    assert shipment is not None
    assert shipment.carrier == "DHL" and shipment.tracking_number.startswith("JD")
    assert shipment.status is ShipmentStatus.IN_TRANSIT
    assert shipment.estimated_delivery == TODAY + timedelta(days=1)
    assert shipment.delivered_at is None


def test_no_shipment_before_shipping(shared_store: StoreRepository) -> None:
    assert shared_store.shipment_for(showcase.PROCESSING.number) is None
    assert shared_store.shipment_for("not an order") is None


def test_cancel_a_processing_order_requests_a_refund(store: StoreRepository) -> None:
    before = store.refunds_for(showcase.PROCESSING.number)
    cancelled = store.cancel_order("ord 100002")
    assert cancelled.status is OrderStatus.CANCELLED
    assert store.find_order(showcase.PROCESSING.number).status is OrderStatus.CANCELLED
    refunds_after = store.refunds_for(showcase.PROCESSING.number)
    assert len(refunds_after) == len(before) + 1
    refund = refunds_after[-1]
    assert refund.status is RefundStatus.REQUESTED
    assert refund.amount == cancelled.total
    assert refund.number.startswith("RF-") and refund.requested_at == NOW


def test_cancel_an_unpaid_order_requests_no_refund(store: StoreRepository) -> None:
    cancelled = store.cancel_order(showcase.FAILED_PAYMENT.number)
    assert cancelled.status is OrderStatus.CANCELLED
    assert store.refunds_for(showcase.FAILED_PAYMENT.number) == []


@pytest.mark.parametrize(
    "number, words",
    [
        (showcase.SHIPPED.number, "left our warehouse"),
        (showcase.RETURNABLE.number, "delivered"),
    ],
)
def test_shipped_and_delivered_orders_cannot_be_cancelled(
    shared_store: StoreRepository, number: str, words: str
) -> None:
    with pytest.raises(OrderNotCancellable) as refused:
        shared_store.cancel_order(number)
    assert words in refused.value.reason
    assert shared_store.find_order(number).status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def test_cancelling_twice_is_refused(store: StoreRepository) -> None:
    store.cancel_order(showcase.PROCESSING.number)
    with pytest.raises(OrderNotCancellable, match="already been cancelled"):
        store.cancel_order(showcase.PROCESSING.number)
    assert len(store.refunds_for(showcase.PROCESSING.number)) == 1


def test_returned_orders_cannot_be_cancelled(shared_store: StoreRepository) -> None:
    with shared_store.engine.connect() as connection:
        returned = connection.execute(
            select(orders.c.number).where(orders.c.status == OrderStatus.RETURNED).limit(1)
        ).scalar_one()
    with pytest.raises(OrderNotCancellable, match="returned"):
        shared_store.cancel_order(returned)


@pytest.mark.parametrize("number", ["ORD-999999", "garbage", "", None])
def test_changing_a_missing_order_raises_order_not_found(shared_store: StoreRepository, number: str) -> None:
    with pytest.raises(OrderNotFound):
        shared_store.cancel_order(number)
    with pytest.raises(OrderNotFound):
        shared_store.change_shipping_address(number, "Lindenstrasse 12, 10115 Berlin")


def test_change_the_address_of_a_processing_order(store: StoreRepository) -> None:
    changed = store.change_shipping_address("#100002", "  Keizersgracht 100\n1015 CS Amsterdam ")
    assert changed.shipping_address == "Keizersgracht 100, 1015 CS Amsterdam"
    assert store.find_order("ORD-100002").shipping_address == "Keizersgracht 100, 1015 CS Amsterdam"


def test_a_shipped_order_keeps_its_address(shared_store: StoreRepository) -> None:
    before = shared_store.find_order(showcase.SHIPPED.number).shipping_address
    with pytest.raises(AddressChangeNotAllowed, match="on its way"):
        shared_store.change_shipping_address(showcase.SHIPPED.number, "Keizersgracht 100, 1015 CS Amsterdam")
    assert shared_store.find_order(showcase.SHIPPED.number).shipping_address == before


@pytest.mark.parametrize(
    "address",
    [
        "",
        "short 1",
        "No digits in this address at all",
        "1234567890",
        "Street 1\x00 Berlin 10115",
        "Street 1, " + "x" * 500,
        "'; DROP TABLE orders; --",
    ],
)
def test_an_implausible_address_changes_nothing(shared_store: StoreRepository, address: str) -> None:
    before = shared_store.find_order(showcase.PROCESSING.number)
    with pytest.raises(InvalidAddress):
        shared_store.change_shipping_address(showcase.PROCESSING.number, address)
    after = shared_store.find_order(showcase.PROCESSING.number)
    assert after == before


def test_address_with_sql_and_unicode_is_stored_verbatim(store: StoreRepository) -> None:
    address = "Rue O'Connor 7; DROP TABLE orders; -- 75004 Paris 🏠"
    changed = store.change_shipping_address(showcase.PROCESSING.number, address)
    assert changed.shipping_address == address
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(orders)).scalar_one() == 2000
        assert connection.execute(select(func.count()).select_from(refunds)).scalar_one() > 0


def test_views_are_frozen(shared_store: StoreRepository) -> None:
    order = shared_store.find_order(showcase.SHIPPED.number)
    with pytest.raises(AttributeError):
        order.status = OrderStatus.CANCELLED  # type: ignore[misc]
    assert isinstance(order.lines, tuple)
