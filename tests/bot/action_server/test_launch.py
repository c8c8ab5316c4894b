"""The action server app: actions only with the action server token, and errors that tell a caller nothing."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

import pytest
import rasa_sdk.executor
from sanic import Sanic

from bot.action_server.app import create_action_server
from bot.shared.settings import Settings
from bot.store.repository import StoreRepository
from tests.support.forged_calls import FORGED_ORDER_STATUS_CALL
from tests.support.served_app import Served

TOKEN = "x" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORDER_STATUS_CALL = FORGED_ORDER_STATUS_CALL


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    # Other tests in this process may have made an app of the same name.
    before = Sanic.test_mode
    Sanic.test_mode = True
    folder = tmp_path_factory.mktemp("action_server")
    settings = Settings.from_env({"ACTION_SERVER_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{folder / 'shop.db'}"})
    store = StoreRepository.from_url(settings.database_url)
    try:
        with Served(create_action_server(settings, store)) as served:
            yield served
    finally:
        store.engine.dispose()
        Sanic.test_mode = before


@pytest.fixture
def actions_run(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The names of the actions rasa-sdk's executor is asked to run during one test."""
    names: List[str] = []
    original = rasa_sdk.executor.ActionExecutor.run

    async def recording_run(self: rasa_sdk.executor.ActionExecutor, action_call: Any) -> Any:
        names.append(action_call.get("next_action") if isinstance(action_call, dict) else repr(action_call))
        return await original(self, action_call)

    monkeypatch.setattr(rasa_sdk.executor.ActionExecutor, "run", recording_run)
    return names


def post_json(
    server: Served, path: str, payload: Any, headers: Optional[Mapping[str, str]] = None
) -> Tuple[int, str, bytes]:
    return server.call(
        "POST", path, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"X-Action-Server-Token": TOKEN},
    ],
)
def test_an_action_call_without_the_token_is_refused_and_runs_nothing(
    action_server: Served, actions_run: List[str], headers: Dict[str, str]
) -> None:
    status, content_type, body = post_json(action_server, "/webhook", ORDER_STATUS_CALL, headers)
    assert status == 401
    assert content_type.startswith("application/json")
    assert actions_run == []
    assert b"ORD-100001" not in body and b"events" not in body


def test_the_query_string_is_no_way_in(action_server: Served, actions_run: List[str]) -> None:
    status, _, _ = post_json(action_server, f"/webhook?token={TOKEN}", ORDER_STATUS_CALL)
    assert status == 401
    assert actions_run == []


@pytest.mark.parametrize(
    "path", ["/webhook/", "/webhook?x=1", "//webhook", "/%77ebhook", "/Webhook", "/webhook/../webhook"]
)
def test_no_spelling_of_the_webhook_path_runs_an_action_without_the_token(
    action_server: Served, actions_run: List[str], path: str
) -> None:
    status, _, _ = post_json(action_server, path, ORDER_STATUS_CALL)
    assert status in (401, 404)
    assert actions_run == []


def test_with_the_token_the_call_reaches_the_executor(action_server: Served, actions_run: List[str]) -> None:
    # The control for the refusals above: the recorder sees calls that get through.
    call = {**ORDER_STATUS_CALL, "next_action": "action_that_does_not_exist"}
    status, _, _ = post_json(action_server, "/webhook", call, AUTH)
    assert status == 404
    assert actions_run == ["action_that_does_not_exist"]


@pytest.mark.parametrize("path", ["/actions", "/actions/"])
def test_the_action_list_needs_the_token(action_server: Served, path: str) -> None:
    status, _, body = action_server.call("GET", path)
    assert status == 401
    assert b"action_show_order_status" not in body


def test_with_the_token_the_action_list_names_our_actions(action_server: Served) -> None:
    status, content_type, body = action_server.call("GET", "/actions", AUTH)
    assert status == 200 and content_type.startswith("application/json")
    names = [entry["name"] for entry in json.loads(body)]
    assert "action_show_order_status" in names


def test_health_is_open_and_says_only_ok(action_server: Served) -> None:
    assert action_server.call("GET", "/health")[::2] == (200, b'{"status":"ok"}')


def _reveals_nothing(body: bytes, sent: bytes) -> None:
    text = body.decode("utf-8", "replace")
    assert "Traceback" not in text and "Error(" not in text and "Exception" not in text
    assert "request_body" not in text
    assert sent.decode("utf-8", "replace") not in text
    assert "customer-secret-marker" not in text


@pytest.mark.parametrize(
    "sent",
    [
        b'{"next_action": "action_show_order_status", "tracker": {"slots": "customer-secret-marker"',
        b"customer-secret-marker=1&next_action=action_show_order_status",
        b"\xff\xfe customer-secret-marker",
    ],
)
def test_a_body_that_is_not_json_gets_a_short_client_error(
    action_server: Served, actions_run: List[str], sent: bytes
) -> None:
    status, content_type, body = action_server.call(
        "POST", "/webhook", {**AUTH, "Content-Type": "application/json"}, sent
    )
    assert 400 <= status < 500
    assert content_type.startswith("application/json") and "error" in json.loads(body)
    _reveals_nothing(body, sent)
    assert actions_run == []


@pytest.mark.parametrize("payload", [["customer-secret-marker"], "customer-secret-marker", 42])
def test_json_that_is_not_an_action_call_gets_a_short_client_error(action_server: Served, payload: Any) -> None:
    sent = json.dumps(payload).encode()
    status, content_type, body = action_server.call(
        "POST", "/webhook", {**AUTH, "Content-Type": "application/json"}, sent
    )
    _reveals_nothing(body, sent)
    assert content_type.startswith("application/json")
    assert 400 <= status < 500, f"{status} {body!r}"


def test_an_unknown_route_gets_the_short_json_error(action_server: Served) -> None:
    status, content_type, body = action_server.call("GET", "/nothing-here?customer-secret-marker=1")
    assert status == 404 and content_type.startswith("application/json")
    assert b"customer-secret-marker" not in body
