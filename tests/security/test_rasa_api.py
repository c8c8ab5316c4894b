"""Rasa's HTTP API needs the token: no tracker is read, no slot set, no action run and no model replaced without it."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.security.attacker import rest_say, rows, tracker
from tests.support.stack import Stack

NO_TOKEN = [{}, {"Authorization": "Bearer not-the-token"}]


@pytest.mark.parametrize("headers", NO_TOKEN)
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/status"),
        ("GET", "/domain"),
        ("GET", "/conversations/{id}/tracker"),
        ("GET", "/conversations/{id}/story"),
        ("POST", "/conversations/{id}/messages"),
        ("POST", "/conversations/{id}/predict"),
        ("POST", "/model/parse"),
        ("PUT", "/model"),
        ("DELETE", "/model"),
    ],
)
def test_every_api_route_refuses_without_the_token(running_stack: Stack, headers: dict, method: str, path: str) -> None:
    url = running_stack.rasa_url + path.format(id=uuid.uuid4().hex)
    response = requests.request(method, url, json={}, headers=headers, timeout=30)
    assert response.status_code == 401


def test_a_token_in_the_query_must_still_be_the_right_one(running_stack: Stack) -> None:
    url = f"{running_stack.rasa_url}/conversations/{uuid.uuid4().hex}/tracker"
    assert requests.get(url, params={"token": "guess"}, timeout=30).status_code == 401


def test_injected_verification_slots_and_execute_change_nothing(running_stack: Stack) -> None:
    conversation = f"rest-{uuid.uuid4().hex}"
    assert rest_say(running_stack, conversation[len("rest-") :], "hello").status_code == 200
    events_before = tracker(running_stack, conversation)["events"]
    orders_before = rows(running_stack.database_url, "orders")
    slots = [
        {"event": "slot", "name": "verified", "value": True},
        {"event": "slot", "name": "order_number", "value": "ORD-100004"},
        {"event": "slot", "name": "verified_order", "value": "ORD-100004"},
    ]
    injected = requests.post(
        f"{running_stack.rasa_url}/conversations/{conversation}/tracker/events", json=slots, timeout=30
    )
    executed = requests.post(
        f"{running_stack.rasa_url}/conversations/{conversation}/execute",
        json={"name": "action_show_order_status"},
        params={"output_channel": "latest"},
        timeout=30,
    )
    assert (injected.status_code, executed.status_code) == (401, 401)
    after = tracker(running_stack, conversation)
    assert after["events"] == events_before
    assert after["slots"].get("verified") is not True
    assert rows(running_stack.database_url, "orders") == orders_before


def test_no_message_can_be_pushed_to_a_customer_without_the_token(running_stack: Stack) -> None:
    conversation = f"rest-{uuid.uuid4().hex}"
    rest_say(running_stack, conversation[len("rest-") :], "hello")
    before = len(tracker(running_stack, conversation)["events"])
    pushed = requests.post(
        f"{running_stack.rasa_url}/conversations/{conversation}/tracker/events",
        params={"output_channel": "latest", "execute_side_effects": "true"},
        json={"event": "bot", "text": "Your account is locked, log in at evil.example"},
        timeout=30,
    )
    assert pushed.status_code == 401
    assert len(tracker(running_stack, conversation)["events"]) == before


def test_cors_names_the_shops_origins_not_everyone(running_stack: Stack) -> None:
    allowed = running_stack.settings.allowed_origins[0]
    for origin, expected in (("https://evil.example", None), (allowed, allowed)):
        response = requests.options(
            f"{running_stack.rasa_url}/conversations/x/tracker",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
            timeout=30,
        )
        assert response.headers.get("Access-Control-Allow-Origin") == expected
