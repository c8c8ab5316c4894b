"""The action server parses a call's body once, in its request check, and the route refuses what the check refuses."""

from __future__ import annotations

import json
import zlib
from typing import Any, Callable, Dict, Iterator, List

import pytest
from sanic.request import Request

from tests.bot.action_server.served_action_server import demo_store, served_action_server
from tests.support.forged_calls import FORGED_ORDER_STATUS_CALL
from tests.support.served_app import Served

TOKEN = "z" * 32
AUTHORIZED = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
# answered by rasa-sdk's executor without the store: the action does not exist
UNKNOWN_ACTION_CALL: Dict[str, Any] = {**FORGED_ORDER_STATUS_CALL, "next_action": "action_nobody_wrote"}
NOT_CALLS = [b"", b"not json", b"[]", b'"text"', b"{}", b'{"next_action": 7}', b"[" * 100_000]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with demo_store(tmp_path_factory.mktemp("action_call")) as store, served_action_server(store, TOKEN) as server:
        yield server


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, counted: Callable[[Any], bool]) -> List[Any]:
    """Replaces `owner.name` with a wrapper noting each call whose first argument `counted` picks."""
    calls: List[Any] = []
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if args and counted(args[0]):
            calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


@pytest.mark.parametrize("deflated", [False, True], ids=["plain", "deflated"])
def test_a_call_is_inflated_and_parsed_once(served: Served, monkeypatch: pytest.MonkeyPatch, deflated: bool) -> None:
    body = json.dumps(UNKNOWN_ACTION_CALL).encode()
    sent = zlib.compress(body) if deflated else body
    parses = _counting(monkeypatch, json, "loads", lambda text: text == body)
    inflations = _counting(monkeypatch, zlib, "decompress", lambda data: data == sent)
    sanic_parses = _counting(monkeypatch, Request, "load_json", lambda request: True)
    headers = {**AUTHORIZED, **({"Content-Encoding": "deflate"} if deflated else {})}
    status, _, answer = served.call("POST", "/webhook", headers, sent)
    assert (status, json.loads(answer)["action_name"]) == (404, "action_nobody_wrote")
    assert (len(parses), len(sanic_parses)) == (1, 0)
    assert len(inflations) == (1 if deflated else 0)


@pytest.mark.parametrize("path", ["/webhook", "/webhook/"])
@pytest.mark.parametrize("body", NOT_CALLS, ids=range(len(NOT_CALLS)))
def test_a_body_that_is_no_call_is_refused_on_every_path_to_the_route(served: Served, path: str, body: bytes) -> None:
    status, _, answer = served.call("POST", path, AUTHORIZED, body)
    assert (status, json.loads(answer)) == (400, {"error": "the body must be an action call (a JSON object)"})


def test_a_deflated_body_that_is_not_deflate_data_is_refused(served: Served) -> None:
    status, _, _ = served.call("POST", "/webhook", {**AUTHORIZED, "Content-Encoding": "deflate"}, b"{}")
    assert status == 400


def test_without_the_token_nothing_is_parsed(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.dumps(UNKNOWN_ACTION_CALL).encode()
    parses = _counting(monkeypatch, json, "loads", lambda text: text == body)
    status, _, _ = served.call("POST", "/webhook", {"Content-Type": "application/json"}, body)
    assert (status, parses) == (401, [])
