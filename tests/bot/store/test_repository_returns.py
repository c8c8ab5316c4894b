"""Contract of returns and refunds: the return window, refusals, and nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.demo import showcase
from bot.store.errors import OrderNotFound, ReturnNotAllowed
from bot.store.repository import StoreRepository
from bot.store.statuses import OrderStatus, RefundStatus
from bot.store.tables import returns, shipments
from tests.bot.conftest import NOW


def _return_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(returns)).scalar_one()


def test_start_a_return_inside_the_window(store: StoreRepository) -> None:
    before = _return_count(store.engine)
    started = store.start_return("100003", "  The strap is too small  ")
    assert started.number.startswith("RMA-") and len(started.number) == len("RMA-000000")
    assert started.order_number == showcase.RETURNABLE.number
    assert started.reason == "The strap is too small"
    assert started.created_at == NOW
    assert _return_count(store.engine) == before + 1


def test_return_numbers_do_not_collide_with_demo_returns(store: StoreRepository) -> None:
    started = store.start_return(showcase.RETURNABLE.number, "Changed my mind")
    with store.engine.connect() as connection:
        numbers = connection.execute(select(returns.c.number)).scalars().all()
    assert numbers.count(started.number) == 1
    assert None not in numbers


def test_a_second_return_for_the_same_order_is_refused(store: StoreRepository) -> None:
    first = store.start_return(showcase.RETURNABLE.number, "Changed my mind")
    with pytest.raises(ReturnNotAllowed, match=first.number):
        store.start_return(showcase.RETURNABLE.number, "Changed my mind again")


def test_outside_the_return_window_is_refused(shared_store: StoreRepository) -> None:
    before = _return_count(shared_store.engine)
    with pytest.raises(ReturnNotAllowed, match="outside the return window"):
        shared_store.start_return(showcase.OUTSIDE_RETURN_WINDOW.number, "Broken")
    assert _return_count(shared_store.engine) == before


@pytest.mark.parametrize(
    "number, words",
    [
        (showcase.SHIPPED.number, "still on its way"),
        (showcase.PROCESSING.number, "cancel it instead"),
        (showcase.FAILED_PAYMENT.number, "cancel it instead"),
    ],
)
def test_orders_not_yet_delivered_cannot_be_returned(shared_store: StoreRepository, number: str, words: str) -> None:
    with pytest.raises(ReturnNotAllowed, match=words):
        shared_store.start_return(number, "Do not want it")


def test_a_cancelled_order_cannot_be_returned(store: StoreRepository) -> None:
    store.cancel_order(showcase.PROCESSING.number)
    with pytest.raises(ReturnNotAllowed, match="cancelled"):
        store.start_return(showcase.PROCESSING.number, "Do not want it")


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x01", "x" * 501, None])
def test_a_return_needs_a_reason(shared_store: StoreRepository, reason: str) -> None:
    before = _return_count(shared_store.engine)
    with pytest.raises(ReturnNotAllowed, match="why"):
        shared_store.start_return(showcase.RETURNABLE.number, reason)
    assert _return_count(shared_store.engine) == before


@pytest.mark.parametrize("number", ["ORD-999999", "'; DROP TABLE returns; --", ""])
def test_returning_a_missing_order(shared_store: StoreRepository, number: str) -> None:
    with pytest.raises(OrderNotFound):
        shared_store.start_return(number, "Broken")


def test_the_window_length_and_the_clock_are_injectable(store_engine: Engine) -> None:
    with store_engine.connect() as connection:
        delivered_at = connection.execute(
            select(shipments.c.delivered_at).where(shipments.c.order_id == 3)
        ).scalar_one()
    just_inside = StoreRepository(
        store_engine, return_window_days=10, clock=lambda: delivered_at + timedelta(days=10, minutes=-1)
    )
    just_outside = StoreRepository(
        store_engine, return_window_days=10, clock=lambda: delivered_at + timedelta(days=10, minutes=1)
    )
    with pytest.raises(ReturnNotAllowed, match="10 days"):
        just_outside.start_return(showcase.RETURNABLE.number, "Too late?")
    assert just_inside.start_return(showcase.RETURNABLE.number, "Just in time").number.startswith("RMA-")
    assert just_inside.find_order(showcase.RETURNABLE.number).status is OrderStatus.DELIVERED


def test_refunds_of_the_duplicate_charge_order(shared_store: StoreRepository) -> None:
    refunds = shared_store.refunds_for("ord100004")
    assert len(refunds) == 1
    refund = refunds[0]
    assert refund.status is RefundStatus.REQUESTED and refund.status.is_open
    assert refund.number.startswith("RF-") and refund.order_number == "ORD-100004"
    assert refund.amount == shared_store.find_order("ORD-100004").total
    assert refund.paid_at is None and refund.requested_at.tzinfo is not None


def test_no_refunds(shared_store: StoreRepository) -> None:
    assert shared_store.refunds_for(showcase.SHIPPED.number) == []
    assert shared_store.refunds_for("ORD-999999") == []
    assert shared_store.refunds_for("not a number") == []


def test_the_return_check_says_what_start_return_would_refuse_and_writes_nothing(store: StoreRepository) -> None:
    before = _return_count(store.engine)
    assert store.return_refusal("100003") is None
    assert "outside the return window" in (store.return_refusal(showcase.OUTSIDE_RETURN_WINDOW.number) or "")
    assert "still on its way" in (store.return_refusal(showcase.SHIPPED.number) or "")
    assert _return_count(store.engine) == before
    started = store.start_return(showcase.RETURNABLE.number, "Changed my mind")
    assert started.number in (store.return_refusal(showcase.RETURNABLE.number) or "")
    with pytest.raises(OrderNotFound):
        store.return_refusal("ORD-999999")
    with pytest.raises(OrderNotFound):
        store.return_refusal("not an order")
