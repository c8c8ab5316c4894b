"""Every agent route refuses a missing or bad token; malformed requests get a 400 with a message."""

from __future__ import annotations

from typing import Callable

import pytest
import requests

from tests.support.handoff_fixtures import RunningService, auth, escalate

AGENT_ROUTES = [
    ("GET", "/api/handoffs?status=waiting"),
    ("GET", "/api/handoffs/1"),
    ("POST", "/api/handoffs/1/claim"),
    ("POST", "/api/handoffs/1/messages"),
    ("POST", "/api/handoffs/1/notes"),
    ("POST", "/api/handoffs/1/close"),
    ("GET", "/api/agents/me"),
    ("POST", "/api/agents/me/status"),
    ("POST", "/api/agents/logout"),
    ("GET", "/api/stream"),
    ("POST", "/api/stream/ticket"),
]


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_every_agent_route_refuses_missing_and_bad_tokens(service: RunningService) -> None:
    escalate(service, "conv-auth")
    for method, path in AGENT_ROUTES:
        for headers in ({}, auth("not-a-real-token"), {"Authorization": "Basic ZGFuYTp4"}):
            response = requests.request(method, service.url + path, json={"text": "x"}, headers=headers, timeout=10)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.json()["error"]


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_malformed_requests_get_a_400_with_a_message(service: RunningService, create_agent: Callable[..., str]) -> None:
    token = create_agent(service, "dana")
    handoff_id = escalate(service, "conv-bad").json()["handoff_id"]
    assert (
        requests.post(f"{service.url}/api/handoffs/{handoff_id}/claim", headers=auth(token), timeout=10).status_code
        == 200
    )
    cases = [
        ("POST", "/api/agents/login", b"{not json", {}),
        ("POST", "/api/agents/login", b'{"username": "dana"}', {}),
        ("POST", "/api/agents/login", b"[1, 2]", {}),
        ("POST", f"/api/handoffs/{handoff_id}/messages", b"", auth(token)),
        ("POST", f"/api/handoffs/{handoff_id}/messages", b'{"text": "   "}', auth(token)),
        ("POST", f"/api/handoffs/{handoff_id}/messages", b'{"text": 42}', auth(token)),
        ("POST", f"/api/handoffs/{handoff_id}/notes", b'{"note": "x"}', auth(token)),
        ("POST", f"/api/handoffs/{handoff_id}/close", b'{"outcome": "maybe"}', auth(token)),
        ("POST", f"/api/handoffs/{handoff_id}/close", b"{", auth(token)),
        ("POST", "/api/agents/me/status", b'{"status": "asleep"}', auth(token)),
        ("GET", "/api/handoffs?status=lost", None, auth(token)),
    ]
    for method, path, body, headers in cases:
        response = requests.request(
            method,
            service.url + path,
            data=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=10,
        )
        assert response.status_code == 400, (path, body, response.text)
        assert response.json()["error"]


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_unknown_handoffs_and_routes_are_404_not_500(service: RunningService, create_agent: Callable[..., str]) -> None:
    token = create_agent(service, "dana")
    for method, path in [
        ("GET", "/api/handoffs/999"),
        ("POST", "/api/handoffs/999/claim"),
        ("POST", "/api/handoffs/999/messages"),
        ("POST", "/api/handoffs/999/notes"),
        ("POST", "/api/handoffs/999/close"),
        ("GET", "/api/handoffs/not-a-number"),
        ("GET", "/api/nothing-here"),
    ]:
        body = {"text": "hello", "outcome": "resolved"}
        response = requests.request(method, service.url + path, json=body, headers=auth(token), timeout=10)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["error"]


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_wrong_password_is_refused(service: RunningService, create_agent: Callable[..., str]) -> None:
    create_agent(service, "dana")
    response = requests.post(
        f"{service.url}/api/agents/login", json={"username": "dana", "password": "nope-nope"}, timeout=10
    )
    assert response.status_code == 401
    assert "wrong username or password" in response.json()["error"]


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_health_and_openapi_are_public(service: RunningService) -> None:
    health = requests.get(f"{service.url}/health", timeout=10)
    assert health.status_code == 200 and health.json()["database"] is True
    spec = requests.get(f"{service.url}/api/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.")
    for path in [
        "/api/agents/login",
        "/api/handoffs",
        "/api/handoffs/{id}/claim",
        "/api/handoffs/{id}/messages",
        "/api/handoffs/{id}/notes",
        "/api/handoffs/{id}/close",
        "/api/stream/ticket",
        "/api/stream",
    ]:
        assert path in spec["paths"]
    assert "429" in spec["paths"]["/api/agents/login"]["post"]["responses"]
    assert "403" in spec["paths"]["/api/handoffs/{id}/notes"]["post"]["responses"]
    assert [p["name"] for p in spec["paths"]["/api/stream"]["get"]["parameters"]] == ["ticket"]
