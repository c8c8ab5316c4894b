"""Contract of invoices, the invoice-copy outbox and payment problems."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.demo import showcase
from bot.store.errors import OrderNotFound
from bot.store.repository import StoreRepository
from bot.store.statuses import PaymentProblemKind
from bot.store.tables import email_outbox
from tests.bot.conftest import NOW


def _outbox_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(email_outbox)).scalar_one()


def test_invoice_lines_and_totals_add_up(shared_store: StoreRepository) -> None:
    invoice = shared_store.invoice_for("100002")
    assert invoice is not None
    assert invoice.number == "INV-100002" and invoice.order_number == "ORD-100002"
    assert [line.description for line in invoice.lines] == ["Vega P10 Plus (PHN-P10PL)", "Shell Case P10 (ACC-CASEP10)"]
    for line in invoice.lines:
        assert line.unit_price * line.quantity == line.line_total
    assert invoice.subtotal == sum(line.line_total for line in invoice.lines) == Decimal("674.00")
    assert invoice.shipping == Decimal("0.00")
    assert invoice.tax == Decimal("134.80")
    assert invoice.total == invoice.subtotal + invoice.shipping + invoice.tax
    assert invoice.total == shared_store.find_order("ORD-100002").total


def test_no_invoice_for_unknown_orders(shared_store: StoreRepository) -> None:
    assert shared_store.invoice_for("ORD-999999") is None
    assert shared_store.invoice_for("INV-100002") is None


def test_queue_an_invoice_copy_to_the_email_on_the_order(store: StoreRepository) -> None:
    message = store.queue_invoice_copy("ORD-100002")
    assert message.recipient == "tom.becker@example.com"
    assert "INV-100002" in message.subject and "ORD-100002" in message.subject
    assert "Tom Becker" in message.body and "808.80" in message.body
    assert message.created_at == NOW
    assert store.outbox("tom.becker@example.com") == [message]
    assert store.outbox()[0] == message


def test_the_recipient_cannot_be_chosen_by_the_caller(store: StoreRepository) -> None:
    # Whoever is chatting cannot have the invoice sent anywhere but to the customer who placed the order.
    with pytest.raises(TypeError):
        store.queue_invoice_copy("ORD-100002", "attacker@example.com")  # type: ignore[call-arg]
    assert store.outbox("attacker@example.com") == []


@pytest.mark.parametrize("number", ["ORD-999999", "bogus", None])
def test_no_copy_for_a_missing_order(shared_store: StoreRepository, number: str) -> None:
    before = _outbox_count(shared_store.engine)
    with pytest.raises(OrderNotFound):
        shared_store.queue_invoice_copy(number)
    assert _outbox_count(shared_store.engine) == before


def test_duplicate_charge_is_reported_once(shared_store: StoreRepository) -> None:
    problems = shared_store.payment_problems("ORD-100004")
    assert [problem.kind for problem in problems] == [PaymentProblemKind.DUPLICATE]
    assert problems[0].amount == shared_store.find_order("ORD-100004").total
    assert problems[0].currency == "EUR" and problems[0].occurred_at.tzinfo is not None


def test_failed_payment_is_reported_with_its_reason(shared_store: StoreRepository) -> None:
    problems = shared_store.payment_problems("#100006")
    assert [problem.kind for problem in problems] == [PaymentProblemKind.FAILED]
    assert problems[0].detail == "card declined by the issuing bank"


def test_orders_without_payment_problems(shared_store: StoreRepository) -> None:
    assert shared_store.payment_problems(showcase.SHIPPED.number) == []
    assert shared_store.payment_problems("ORD-999999") == []
    assert shared_store.payment_problems("; DELETE FROM payments") == []
