"""The generated OpenAPI document matches the app's routes, and its request schemas refuse what the handlers refuse."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Tuple

import pytest
import requests
from jsonschema import Draft7Validator
from sanic import Sanic

from bot.service.app import create_app
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.records import AgentRole
from bot.service.openapi import build_document
from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    auth,
    escalate,
    internal,
    service_settings,
)

SHOPPER_SECRET = "openapi-test-shopper-secret-0123456789"
_SANIC_PARAMETER = re.compile(r"<[^>]+>")
_DOC_PARAMETER = re.compile(r"{[^}]+}")


def _app_routes(folder: Path, handoff_database: HandoffDatabase) -> Set[Tuple[str, str]]:
    Sanic.test_mode = True
    app = create_app(service_settings(handoff_database, folder), name="openapi_routes")
    return {
        (method.lower(), "/" + _SANIC_PARAMETER.sub("{}", route.path))
        for route in app.router.routes
        for method in route.methods
    }


def _documented(document: Dict[str, Any]) -> Set[Tuple[str, str]]:
    return {(method, _DOC_PARAMETER.sub("{}", path)) for path, item in document["paths"].items() for method in item}


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_the_documented_api_routes_are_exactly_the_apps(handoff_database: HandoffDatabase, tmp_path: Path) -> None:
    routes = _app_routes(tmp_path, handoff_database)
    documented = _documented(build_document())
    under_api = {route for route in routes if route[1].startswith("/api/")}
    assert {route for route in documented if route[1].startswith("/api/")} == under_api
    assert ("post", "/api/handoffs/{}/close") in under_api
    # the routes documented outside /api exist too
    assert documented - under_api <= routes


def test_every_reference_in_the_document_resolves() -> None:
    document = build_document()
    schemas = document["components"]["schemas"]

    def references(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from references(value)
        elif isinstance(node, list):
            for item in node:
                yield from references(item)

    found = list(references(document))
    assert found and all(ref.startswith("#/components/schemas/") for ref in found)
    assert {ref.rsplit("/", 1)[1] for ref in found} <= set(schemas)


def _schema_fields(document: Dict[str, Any], path: str, method: str, body: Dict[str, Any]) -> Set[str]:
    """The fields the documented request schema names as wrong in `body`; empty if it accepts the body."""
    reference = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    validator = Draft7Validator({**reference, "components": document["components"]})
    fields: Set[str] = set()
    for error in validator.iter_errors(body):
        if error.validator == "required":
            fields.update(name for name in error.validator_value if name not in error.instance)
        elif error.validator == "additionalProperties":
            fields.update(set(error.instance) - set(error.schema.get("properties", {})))
        else:
            fields.add(".".join(str(part) for part in error.absolute_path))
    return fields


# (documented path, a real URL path, whose credentials, a bad body, the field that is wrong)
BAD_BODIES: List[Tuple[str, str, str, Dict[str, Any], str]] = [
    ("/api/agents/login", "/api/agents/login", "none", {"username": "dana"}, "password"),
    ("/api/agents/login", "/api/agents/login", "none", {"username": 7, "password": "x"}, "username"),
    ("/api/agents/me/status", "/api/agents/me/status", "agent", {"status": "asleep"}, "status"),
    ("/api/handoffs/{id}/messages", "/api/handoffs/{id}/messages", "agent", {"text": 42}, "text"),
    ("/api/handoffs/{id}/notes", "/api/handoffs/{id}/notes", "agent", {"note": "hello"}, "text"),
    ("/api/handoffs/{id}/close", "/api/handoffs/{id}/close", "agent", {"outcome": "maybe"}, "outcome"),
    ("/internal/handoffs", "/internal/handoffs", "secret", {"conversation_id": "c", "intents": "greet"}, "intents"),
    (
        "/internal/handoffs",
        "/internal/handoffs",
        "secret",
        {"conversation_id": "c", "conversationId": "c"},
        "conversationId",
    ),
    (
        "/internal/tickets",
        "/internal/tickets",
        "secret",
        {"conversation_id": "c", "email": "kim@example.com"},
        "message",
    ),
    ("/internal/ratings", "/internal/ratings", "secret", {"conversation_id": "c", "rating": 9}, "rating"),
    ("/internal/ratings", "/internal/ratings", "secret", {"conversation_id": ["c"], "rating": 5}, "conversation_id"),
    ("/demo/token", "/demo/token", "none", {"email": 42}, "email"),
    ("/api/handoffs/{id}/presence", "/api/handoffs/{id}/presence", "agent", {"activity": "asleep"}, "activity"),
    ("/api/handoffs/{id}/labels", "/api/handoffs/{id}/labels", "agent", {"labels": "vip"}, "labels"),
    ("/webchat/typing/{session_id}", "/webchat/typing/session-0001", "none", {"typing": "yes"}, "typing"),
    ("/webchat/presence/{session_id}", "/webchat/presence/session-0001", "none", {"here": "yes"}, "here"),
    ("/api/privacy/export", "/api/privacy/export", "supervisor", {"email": "no address"}, "email"),
    ("/api/privacy/erase", "/api/privacy/erase", "supervisor", {"email": 42}, "email"),
    ("/api/handoffs/{id}/transfer", "/api/handoffs/{id}/transfer", "supervisor", {"to_agent_id": 1}, "note"),
    (
        "/api/handoffs/{id}/transfer",
        "/api/handoffs/{id}/transfer",
        "supervisor",
        {"to_agent_id": "2", "note": "x"},
        "to_agent_id",
    ),
    (
        "/api/reports/unanswered/{question_id}/label",
        "/api/reports/unanswered/1/label",
        "supervisor",
        {"intent": "not an intent"},
        "intent",
    ),
]


@pytest.fixture
def demo_service(handoff_database: HandoffDatabase, tmp_path: Path) -> Iterator[RunningService]:
    settings = replace(
        service_settings(handoff_database, tmp_path), webchat_demo_signin=True, webchat_jwt_secret=SHOPPER_SECRET
    )
    running = RunningService(settings, handoff_database.schema).start()
    yield running
    running.stop()


def test_every_documented_body_has_a_bad_sample() -> None:
    document = build_document()
    with_bodies = {
        path for path, item in document["paths"].items() for operation in item.values() if "requestBody" in operation
    }
    assert with_bodies == {documented for documented, *_ in BAD_BODIES}


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_each_request_schema_refuses_a_bad_body_as_its_handler_does(
    demo_service: RunningService, create_agent: Any
) -> None:
    document = requests.get(f"{demo_service.url}/api/openapi.json", timeout=10).json()
    token = create_agent(demo_service, "dana")
    handoff_id = escalate(demo_service, "conv-openapi").json()["handoff_id"]
    # the body is read before the handoff is looked at: no claim is needed to be refused
    supervisor = create_agent(demo_service, "sam")
    with_role = AgentRepository(demo_service.app.ctx.desk.engine)
    sam = with_role.agent_for_token(supervisor)
    assert sam is not None
    with_role.set_role(sam.id, AgentRole.SUPERVISOR)
    credentials = {"none": {}, "agent": auth(token), "secret": internal(), "supervisor": auth(supervisor)}
    for documented, url_path, who, body, field in BAD_BODIES:
        assert _schema_fields(document, documented, "post", body) == {field}, (documented, body)
        response = requests.post(
            demo_service.url + url_path.replace("{id}", str(handoff_id)),
            json=body,
            headers=credentials[who],
            timeout=10,
        )
        assert response.status_code == 400, (documented, body, response.text)
        answer = response.json()
        assert field in {problem["field"] for problem in answer["fields"]}, (documented, answer)
        assert answer["error"].startswith("invalid request")
