"""Hostile and malformed input reaches every repository method: polite results or StoreErrors, never damage."""

from __future__ import annotations

from typing import Callable, Dict, List

import pytest
from sqlalchemy import func, select

from bot.store.errors import StoreError
from bot.store.repository import StoreRepository
from bot.store.tables import TABLES_IN_DEPENDENCY_ORDER

HOSTILE_TEXTS: List[object] = [
    "",
    "   ",
    "'; DROP TABLE orders; --",
    "ORD-100001'; DELETE FROM customers; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "x" * 100_000,
    "ünïcödé 注文 🙂 \u202e",
    "\x00",
    "\ud800",
    None,
    12345,
]


def _counts(store: StoreRepository) -> Dict[str, int]:
    with store.engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in TABLES_IN_DEPENDENCY_ORDER
        }


def _calls(value: object) -> List[Callable[[StoreRepository], object]]:
    """Every call where `value` stands for an identifier; free-text arguments are tested on their own."""
    return [
        lambda store: store.find_order(value),
        lambda store: store.verify_customer(value, value),
        lambda store: store.verify_customer("ORD-100001", value),
        lambda store: store.find_customer(value),
        lambda store: store.orders_for_customer(value),
        lambda store: store.shipment_for(value),
        lambda store: store.refunds_for(value),
        lambda store: store.invoice_for(value),
        lambda store: store.payment_problems(value),
        lambda store: store.find_product(value),
        lambda store: store.product_by_sku(value),
        lambda store: store.related_products(value),
        lambda store: store.outbox(value),
        lambda store: store.cancel_order(value),
        lambda store: store.change_shipping_address(value, "Lindenstrasse 12, 10115 Berlin"),
        lambda store: store.start_return(value, "Broken"),
        lambda store: store.queue_invoice_copy(value),
    ]


def test_hostile_input_gets_polite_answers_and_changes_nothing(store: StoreRepository) -> None:
    before = _counts(store)
    processing = store.find_order("ORD-100002")
    for value in HOSTILE_TEXTS:
        for call in _calls(value):
            try:
                result = call(store)
            except StoreError as refused:
                assert refused.reason, (value, refused)
            else:
                assert result in (None, False, []), (repr(value)[:60], result)
    assert _counts(store) == before
    assert store.find_order("ORD-100002") == processing


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_hostile_complaints_are_stored_cleanly_or_refused(shared_store: StoreRepository, value: object) -> None:
    # Complaint text is free text: whatever is printable is kept; nothing else may reach the database.
    try:
        complaint = shared_store.record_complaint("conversation-hostile", value, value)
    except StoreError as refused:
        assert refused.reason
    else:
        assert complaint.text and "\x00" not in complaint.text
        assert complaint.order_number is None


def test_sql_in_a_return_reason_is_kept_as_text(store: StoreRepository) -> None:
    before = _counts(store)
    started = store.start_return("ORD-100003", "'; DROP TABLE orders; -- 注文 🙂\x00")
    assert started.reason == "'; DROP TABLE orders; -- 注文 🙂"
    after = _counts(store)
    assert after["returns"] == before["returns"] + 1
    assert {name: count for name, count in after.items() if name != "returns"} == {
        name: count for name, count in before.items() if name != "returns"
    }
