"""Rasa's HTTP API behind a bearer token: the right token opens it, nothing else does, and no token is never open."""

from __future__ import annotations

import uuid
from typing import Dict, Iterator, Optional

import pytest
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server import api_auth as rasa_api_auth
from bot.rasa_server.api_auth import requires_token
from bot.shared.security.bearer import token_matches
from tests.support.served_app import Served

TOKEN = "the-token"


pytestmark = pytest.mark.usefixtures("sanic_test_mode")


def guarded_app(token: Optional[str]) -> Sanic:
    """Routes decorated exactly as Rasa decorates its own, with Rasa's handler for its ErrorResponse."""
    from rasa.server import ErrorResponse

    app = Sanic(f"rasa_api_auth_{uuid.uuid4().hex[:8]}")

    @app.exception(ErrorResponse)
    async def handle_error_response(_: Request, exception: ErrorResponse) -> HTTPResponse:
        return response.json(exception.error_info, status=exception.status)

    @app.get("/status")
    @requires_token(app, token)
    async def status(_: Request) -> HTTPResponse:
        return response.json({"model": "ready"})

    @app.get("/conversations/<conversation_id>/tracker")
    @requires_token(app, token)
    async def tracker(_: Request, conversation_id: str) -> HTTPResponse:
        return response.json({"sender_id": conversation_id})

    @app.get("/plain")
    @requires_token(app, token)
    def plain(_: Request) -> HTTPResponse:  # Rasa's decorator also accepts handlers that are not coroutines
        return response.json({"plain": True})

    return app


@pytest.fixture(scope="module")
def with_token() -> Iterator[Served]:
    with Served(guarded_app(TOKEN)) as served:
        yield served


@pytest.fixture(scope="module")
def without_token() -> Iterator[Served]:
    with Served(guarded_app(None)) as served:
        yield served


def test_the_bearer_header_opens_the_route(with_token: Served) -> None:
    status, body = with_token.get("/status", {"Authorization": f"Bearer {TOKEN}"})
    assert (status, body) == (200, b'{"model":"ready"}')


def test_the_scheme_is_case_insensitive(with_token: Served) -> None:
    assert with_token.get("/status", {"Authorization": f"bearer {TOKEN}"})[0] == 200


def test_the_query_token_opens_the_route(with_token: Served) -> None:
    assert with_token.get(f"/status?token={TOKEN}")[0] == 200


def test_the_route_still_gets_its_arguments(with_token: Served) -> None:
    status, body = with_token.get("/conversations/web-123/tracker", {"Authorization": f"Bearer {TOKEN}"})
    assert (status, body) == (200, b'{"sender_id":"web-123"}')


def test_a_handler_that_is_not_a_coroutine_works(with_token: Served) -> None:
    assert with_token.get("/plain", {"Authorization": f"Bearer {TOKEN}"}) == (200, b'{"plain":true}')
    assert with_token.get("/plain")[0] == 401


def test_no_token_is_refused_with_rasas_error_body(with_token: Served) -> None:
    status, body = with_token.get("/status")
    assert status == 401
    assert b'"reason":"NotAuthenticated"' in body and b"ready" not in body


@pytest.mark.parametrize(
    "headers, query",
    [
        ({"Authorization": "Bearer wrong-token"}, ""),
        ({"Authorization": f"Bearer {TOKEN}x"}, ""),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, ""),
        ({"Authorization": f"Bearer {TOKEN.upper()}"}, ""),
        ({"Authorization": TOKEN}, ""),
        ({"Authorization": f"Basic {TOKEN}"}, ""),
        ({"Authorization": "Bearer "}, ""),
        ({"X-Token": TOKEN}, ""),
        ({}, "?token=wrong-token"),
        ({}, "?token="),
        ({}, f"?Token={TOKEN}"),
    ],
)
def test_a_wrong_token_is_refused(with_token: Served, headers: Dict[str, str], query: str) -> None:
    status, body = with_token.get(f"/status{query}", headers)
    assert status == 401
    assert b"ready" not in body


@pytest.mark.parametrize(
    "value",
    [
        "Bearer thé-token".encode(),
        "Bearer thé-token".encode("latin-1"),  # not UTF-8: Sanic hands it over as surrogate escapes
        b"Bearer \xff\xfe",
        f"Bearer {TOKEN}\u00e9".encode(),
    ],
)
def test_a_header_that_is_not_ascii_is_refused_not_crashed_on(with_token: Served, value: bytes) -> None:
    status, body = with_token.get("/status", {"Authorization": value})
    assert status == 401
    assert b"NotAuthenticated" in body


@pytest.mark.parametrize(
    "headers, query",
    [
        ({}, ""),
        ({"Authorization": "Bearer None"}, ""),
        ({"Authorization": "Bearer "}, ""),
        ({}, "?token="),
        ({}, "?token=None"),
        ({"Authorization": f"Bearer {TOKEN}"}, ""),
    ],
)
def test_without_a_configured_token_every_call_is_refused(
    without_token: Served, headers: Dict[str, str], query: str
) -> None:
    status, body = without_token.get(f"/status{query}", headers)
    assert status == 401
    assert b"ready" not in body


def test_an_empty_configured_token_is_never_open() -> None:
    with Served(guarded_app("")) as served:
        assert served.get("/status")[0] == 401
        assert served.get("/status?token=")[0] == 401
        assert served.get("/status", {"Authorization": "Bearer "})[0] == 401


def test_token_matches_only_the_same_token() -> None:
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches("the-tokeN", TOKEN)
    assert not token_matches(f"{TOKEN} ", TOKEN)
    assert not token_matches(TOKEN[:-1], TOKEN)
    assert not token_matches(f"{TOKEN}{TOKEN}", TOKEN)


@pytest.mark.parametrize(
    "given, expected", [(None, None), ("", ""), (None, TOKEN), ("", TOKEN), (TOKEN, None), (TOKEN, "")]
)
def test_a_missing_token_on_either_side_never_matches(given: Optional[str], expected: Optional[str]) -> None:
    assert token_matches(given, expected) is False


def test_values_that_are_not_ascii_are_compared_not_crashed_on() -> None:
    escaped = b"th\xe9-token".decode("utf-8", "surrogateescape")
    assert token_matches("sécret-tøken", "sécret-tøken")
    assert not token_matches("secret-token", "sécret-token")
    assert token_matches(escaped, TOKEN) is False
    assert token_matches("\ud800", TOKEN) is False
    assert token_matches(TOKEN, "\ud800") is False


def test_install_replaces_rasas_decorator(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.server

    original = rasa.server.requires_auth
    monkeypatch.setattr(rasa.server, "requires_auth", original)  # undone after the test
    assert original is not requires_token
    rasa_api_auth.install()
    assert rasa.server.requires_auth is requires_token


def test_after_install_rasas_own_app_is_not_open_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.server

    monkeypatch.setattr(rasa.server, "requires_auth", rasa.server.requires_auth)
    rasa_api_auth.install()
    # Rasa's own decorator would let this through to its "no model loaded" 409.
    with Served(rasa.server.create_app(auth_token=None, cors_origins=[])) as served:
        status, body = served.get("/status")
    assert status == 401
    assert b"NotAuthenticated" in body


def test_after_install_rasas_own_app_takes_the_bearer_header(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.server

    monkeypatch.setattr(rasa.server, "requires_auth", rasa.server.requires_auth)
    rasa_api_auth.install()
    with Served(rasa.server.create_app(auth_token=TOKEN, cors_origins=[])) as served:
        refused = served.get("/status")
        # Past the token check, Rasa answers that no model is loaded: the bearer header got in.
        admitted = served.get("/status", {"Authorization": f"Bearer {TOKEN}"})
    assert refused[0] == 401
    assert admitted[0] == 409 and b"No agent loaded" in admitted[1]
