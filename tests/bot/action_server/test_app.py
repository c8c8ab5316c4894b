"""The factory's action server answers from the store it was given, and each action is created once with it."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List

import pytest
from sqlalchemy import event

from actions.orders import ActionShowOrderStatus
from bot.action_server.executor import ContextActionExecutor
from bot.demo.showcase import SHIPPED
from bot.shared.settings import Settings
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.bot.action_server.served_action_server import demo_store, served_action_server
from tests.support.forged_calls import FORGED_ORDER_STATUS_CALL
from tests.support.served_app import Served

TOKEN = "y" * 32


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreRepository]:
    with demo_store(tmp_path_factory.mktemp("action_app")) as repository:
        yield repository


@pytest.fixture(scope="module")
def served(store: StoreRepository) -> Iterator[Served]:
    with served_action_server(store, TOKEN) as server:
        yield server


WAIT_SECONDS = 10


def _verified_call(action_name: str) -> Dict[str, Any]:
    tracker = FORGED_ORDER_STATUS_CALL["tracker"]
    slots = {
        "order_number": SHIPPED.number,
        "verified": True,
        "verified_order": SHIPPED.number,
        "verified_email": SHIPPED.customer_email,
    }
    return {**FORGED_ORDER_STATUS_CALL, "next_action": action_name, "tracker": {**tracker, "slots": slots}}


def _responses(served: Served, call: Dict[str, Any]) -> List[str]:
    status, _, body = served.call(
        "POST",
        "/webhook",
        {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        json.dumps(call).encode(),
    )
    assert status == 200
    return [message["response"] for message in json.loads(body)["responses"]]


def test_a_verified_order_is_answered_from_the_injected_store(served: Served) -> None:
    assert _responses(served, _verified_call("action_show_order_status")) == ["utter_order_status_shipped"]


def test_a_call_held_up_inside_the_store_holds_up_no_other(served: Served, store: StoreRepository) -> None:
    inside, released = threading.Event(), threading.Event()

    def slow_shipments_query(connection: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if "FROM shipments" in statement and not released.is_set():
            inside.set()
            released.wait(WAIT_SECONDS)

    event.listen(store.engine, "before_cursor_execute", slow_shipments_query)
    try:
        with ThreadPoolExecutor(max_workers=1) as caller:
            slow = caller.submit(_responses, served, _verified_call("action_show_order_status"))
            assert inside.wait(WAIT_SECONDS), "the order status never asked for the shipment"
            # answered while the other call waits in its query: neither the loop nor the store is held
            assert served.get("/health")[0] == 200
            assert _responses(served, _verified_call("action_show_refunds")) == ["utter_no_refunds"]
            assert not slow.done()
            released.set()
            assert slow.result(WAIT_SECONDS) == ["utter_order_status_shipped"]
    finally:
        released.set()
        event.remove(store.engine, "before_cursor_execute", slow_shipments_query)


def test_every_action_that_needs_the_store_shares_the_one_context(store: StoreRepository) -> None:
    context = StoreContext(settings=Settings.from_env({}), store=store)
    executor = ContextActionExecutor(context)
    executor.register_package("actions")
    status_action = executor.actions["action_show_order_status"].__self__
    assert isinstance(status_action, ActionShowOrderStatus)
    assert status_action.context is context
    assert executor.actions["validate_order_verification_form"].__self__.context.store is store
