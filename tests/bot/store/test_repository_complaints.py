"""Contract of complaint recording."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.store.errors import InvalidComplaint
from bot.store.repository import StoreRepository
from bot.store.tables import complaints
from tests.bot.conftest import NOW


def _stored(store: StoreRepository, complaint_id: int):
    with store.engine.connect() as connection:
        return connection.execute(select(complaints).where(complaints.c.id == complaint_id)).one()


def test_record_a_complaint_with_an_order(store: StoreRepository) -> None:
    complaint = store.record_complaint("conv-1", "  The box arrived crushed.  ", "ord100001")
    assert complaint.order_number == "ORD-100001"
    assert complaint.text == "The box arrived crushed."
    assert complaint.created_at == NOW
    row = _stored(store, complaint.id)
    assert (row.conversation_id, row.text, row.order_number) == ("conv-1", complaint.text, "ORD-100001")


def test_a_malformed_order_number_does_not_lose_the_complaint(store: StoreRepository) -> None:
    complaint = store.record_complaint("conv-2", "Nobody answers the phone", "my order from last week")
    assert complaint.order_number is None
    assert _stored(store, complaint.id).text == "Nobody answers the phone"


def test_unicode_sql_and_control_characters(store: StoreRepository) -> None:
    text = "Très déçu 😡 '; DROP TABLE complaints; --\x00\nSecond line"
    complaint = store.record_complaint("conv-3", text)
    assert complaint.text == "Très déçu 😡 '; DROP TABLE complaints; --\nSecond line"
    assert _stored(store, complaint.id).text == complaint.text


@pytest.mark.parametrize(
    "conversation_id, text",
    [
        ("", "A real complaint"),
        ("conv", ""),
        ("conv", "   "),
        ("conv", "x" * 5001),
        ("c" * 129, "A real complaint"),
        (None, "A real complaint"),
        ("conv", None),
    ],
)
def test_unusable_complaints_are_refused(shared_store: StoreRepository, conversation_id: str, text: str) -> None:
    with shared_store.engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(complaints)).scalar_one()
    with pytest.raises(InvalidComplaint):
        shared_store.record_complaint(conversation_id, text)
    with shared_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(complaints)).scalar_one() == before
