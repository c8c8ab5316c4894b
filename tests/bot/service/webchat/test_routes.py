"""The web chat routes of the bot service: the shop page, widget files, history and demo sign-in."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Any, Callable, Dict, Optional, Tuple

import pytest

from bot.shared.webchat.identity import verify_shopper_token
from bot.shared.webchat.session_proof import PROOF_HEADER, new_session

SHOPPER_SECRET = "webchat-test-secret-0123456789abcdef"
SESSION_SECRET = "webchat-session-test-secret-0123456789"
SHOP_ORIGIN = "https://shop.example.com"


def _request(
    url: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None, method: Optional[str] = None
) -> Tuple[int, Message, bytes]:
    request = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"))
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _json(body: bytes) -> Any:
    return json.loads(body.decode("utf-8"))


@pytest.fixture(scope="module")
def demo_service(start_service: Callable[[Dict[str, str]], str]) -> str:
    return start_service(
        {
            "WEBCHAT_JWT_SECRET": SHOPPER_SECRET,
            "WEBCHAT_DEMO_SIGNIN": "1",
            "WEBCHAT_SESSION_SECRET": SESSION_SECRET,
            "ALLOWED_ORIGINS": SHOP_ORIGIN,
        }
    )


@pytest.fixture(scope="module")
def plain_service(start_service: Callable[[Dict[str, str]], str]) -> str:
    return start_service(
        {"WEBCHAT_JWT_SECRET": SHOPPER_SECRET, "WEBCHAT_DEMO_SIGNIN": "", "WEBCHAT_SESSION_SECRET": SESSION_SECRET}
    )


def test_the_shop_page_embeds_the_widget_lists_products_and_demo_orders(demo_service: str) -> None:
    status, headers, body = _request(demo_service + "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<script src="/webchat.js" data-rasa-url="http://127.0.0.1:' in page
    assert "Aria X200 Headphones" in page and "€149.00" in page
    assert "ORD-100001" in page and "maria.keller@example.com" in page
    assert 'data-testid="demo-signin"' in page


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_the_shop_page_embeds_the_widget_in_a_language_asked_for(demo_service: str, language: str) -> None:
    _, _, body = _request(demo_service + f"/?lang={language}")
    assert f'data-title="Northwind support" data-language="{language}" defer' in body.decode("utf-8")


@pytest.mark.parametrize("asked", ["", "it", "ES-x", "%22%3E%3Cscript%3E", "x" * 1000])
def test_any_other_language_leaves_the_widget_to_the_browser(demo_service: str, asked: str) -> None:
    status, _, body = _request(demo_service + f"/?lang={asked}")
    assert status == 200
    page = body.decode("utf-8")
    assert "data-language" not in page and "<script>" not in page


def test_the_page_offers_demo_sign_in_only_when_configured(plain_service: str) -> None:
    _, _, body = _request(plain_service + "/")
    assert 'data-testid="demo-signin"' not in body.decode("utf-8")
    status, _, body = _request(
        plain_service + "/demo/token", json.dumps({"email": "maria.keller@example.com"}).encode()
    )
    assert status == 404
    assert "switched off" in _json(body)["error"]


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/webchat.js", "application/javascript"),
        ("/webchat.css", "text/css"),
        ("/shop.js", "application/javascript"),
        ("/webchat/vendor/socket.io.min.js", "application/javascript"),
    ],
)
def test_widget_files_are_served(demo_service: str, path: str, content_type: str) -> None:
    status, headers, body = _request(demo_service + path)
    assert status == 200, body[:200]
    assert headers["Content-Type"].startswith(content_type)
    assert len(body) > 500


def test_demo_token_is_signed_for_a_demo_customer(demo_service: str) -> None:
    status, _, body = _request(demo_service + "/demo/token", json.dumps({"email": "Maria.Keller@example.com"}).encode())
    assert status == 200
    token = _json(body)["token"]
    assert verify_shopper_token(token, SHOPPER_SECRET) == "maria.keller@example.com"
    assert verify_shopper_token(token, "another-secret-of-enough-length") is None


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", json.dumps({"email": "stranger@example.com"}).encode(), json.dumps({"email": 42}).encode()],
)
def test_demo_token_refuses_anything_else_with_a_clear_400(demo_service: str, body: bytes) -> None:
    status, _, answer = _request(demo_service + "/demo/token", body)
    assert status == 400
    assert "demo customers" in _json(answer)["error"]


def test_history_refuses_a_malformed_session_id(demo_service: str) -> None:
    status, _, body = _request(demo_service + "/webchat/history/not-valid!")
    assert status == 400
    assert _json(body) == {"error": "not a chat session id"}


def test_history_says_so_politely_when_rasa_is_down(demo_service: str) -> None:
    session_id, proof = new_session(SESSION_SECRET)
    status, headers, body = _request(
        demo_service + f"/webchat/history/{session_id}", headers={PROOF_HEADER: proof, "Origin": SHOP_ORIGIN}
    )
    assert status == 503
    assert headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert "unavailable" in _json(body)["error"]


@pytest.mark.parametrize("proof", [None, "A" * 43, "not a proof"])
def test_history_without_the_sessions_proof_is_not_found(demo_service: str, proof: Optional[str]) -> None:
    session_id, _ = new_session(SESSION_SECRET)
    headers = {PROOF_HEADER: proof} if proof else {}
    status, _, body = _request(demo_service + f"/webchat/history/{session_id}", headers=headers)
    assert status == 404
    assert _json(body) == {"error": "no such chat session"}


def test_history_is_readable_from_the_shops_origin_only(demo_service: str) -> None:
    session_id, proof = new_session(SESSION_SECRET)
    url = demo_service + f"/webchat/history/{session_id}"
    status, headers, _ = _request(
        url, headers={"Origin": SHOP_ORIGIN, "Access-Control-Request-Headers": PROOF_HEADER}, method="OPTIONS"
    )
    assert status in (200, 204)
    assert headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert PROOF_HEADER in headers["Access-Control-Allow-Headers"]
    _, headers, _ = _request(url, headers={"Origin": "https://evil.example", PROOF_HEADER: proof})
    assert headers.get("Access-Control-Allow-Origin") is None
    _, headers, _ = _request(url, headers={"Origin": "https://evil.example"}, method="OPTIONS")
    assert headers.get("Access-Control-Allow-Origin") is None
