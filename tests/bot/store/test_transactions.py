"""An unreachable or empty database surfaces as StoreUnavailable, never as a driver error."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from bot.shared.database import create_store_engine
from bot.store.errors import StoreError, StoreUnavailable
from bot.store.repository import StoreRepository

CALLS = {
    "find_order": lambda store: store.find_order("ORD-100001"),
    "verify_customer": lambda store: store.verify_customer("ORD-100001", "maria.keller@example.com"),
    "find_product": lambda store: store.find_product("x200"),
    "cancel_order": lambda store: store.cancel_order("ORD-100002"),
    "start_return": lambda store: store.start_return("ORD-100003", "Broken"),
    "record_complaint": lambda store: store.record_complaint("conversation", "Too slow"),
    "queue_invoice_copy": lambda store: store.queue_invoice_copy("ORD-100002"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_missing_sqlite_folder(call: Callable[[StoreRepository], object], tmp_path: Path) -> None:
    store = StoreRepository.from_url(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'shop.db'}")
    with pytest.raises(StoreUnavailable) as unavailable:
        call(store)
    assert isinstance(unavailable.value, StoreError)
    assert "cannot be reached" in unavailable.value.reason


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_database_without_store_tables(call: Callable[[StoreRepository], object], tmp_path: Path) -> None:
    store = StoreRepository(create_store_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(StoreUnavailable):
        call(store)


def test_a_postgresql_server_that_does_not_answer() -> None:
    # Port 9 (discard) is closed on loopback, so the connection is refused at once.
    store = StoreRepository.from_url("postgresql://postgres@127.0.0.1:9/test")
    with pytest.raises(StoreUnavailable):
        store.find_order("ORD-100001")
