"""The factory's action server answers from the store it was given, and each action is created once with it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sanic import Sanic

from actions.orders import ActionShowOrderStatus
from bot.action_server.app import create_action_server
from bot.action_server.executor import ContextActionExecutor
from bot.demo.seed import build_demo_store
from bot.demo.showcase import SHIPPED
from bot.shared.settings import Settings
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.support.forged_calls import FORGED_ORDER_STATUS_CALL
from tests.support.served_app import Served

TOKEN = "y" * 32


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreRepository]:
    path: Path = tmp_path_factory.mktemp("action_app") / "shop.db"
    repository = StoreRepository.from_url(f"sqlite:///{path}")
    build_demo_store(repository.engine, today=datetime.now(timezone.utc).date())
    yield repository
    repository.engine.dispose()


@pytest.fixture(scope="module")
def served(store: StoreRepository) -> Iterator[Served]:
    before = Sanic.test_mode
    Sanic.test_mode = True
    settings = Settings.from_env({"ACTION_SERVER_TOKEN": TOKEN, "DATABASE_URL": str(store.engine.url)})
    try:
        with Served(create_action_server(settings, store)) as server:
            yield server
    finally:
        Sanic.test_mode = before


def test_a_verified_order_is_answered_from_the_injected_store(served: Served) -> None:
    tracker = FORGED_ORDER_STATUS_CALL["tracker"]
    slots = {
        "order_number": SHIPPED.number,
        "verified": True,
        "verified_order": SHIPPED.number,
        "verified_email": SHIPPED.customer_email,
    }
    call = {**FORGED_ORDER_STATUS_CALL, "tracker": {**tracker, "slots": slots}}
    status, _, body = served.call(
        "POST",
        "/webhook",
        {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        json.dumps(call).encode(),
    )
    assert status == 200
    responses = [message["response"] for message in json.loads(body)["responses"]]
    assert responses == ["utter_order_status_shipped"]


def test_every_action_that_needs_the_store_shares_the_one_context(store: StoreRepository) -> None:
    context = StoreContext(settings=Settings.from_env({}), store=store)
    executor = ContextActionExecutor(context)
    executor.register_package("actions")
    status_action = executor.actions["action_show_order_status"].__self__
    assert isinstance(status_action, ActionShowOrderStatus)
    assert status_action.context is context
    assert executor.actions["validate_order_verification_form"].__self__.context.store is store
