"""Request models: what they accept, and how a refusal names the field without repeating the input."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from bot.service.wire.agents import LoginRequest
from bot.service.wire.handoffs import HandoffListQuery, TextRequest
from bot.service.wire.internal import EscalationRequest, RatingRequest, TicketRequest
from bot.service.wire.parsing import parse
from bot.service.wire.problems import MalformedRequest


def _fields(model: Any, body: Dict[str, Any]) -> List[str]:
    with pytest.raises(MalformedRequest) as refused:
        parse(model, body)
    return [problem.field for problem in refused.value.problems]


def test_a_missing_blank_or_wrongly_typed_text_is_named() -> None:
    assert _fields(TextRequest, {}) == ["text"]
    assert _fields(TextRequest, {"text": "   "}) == ["text"]
    assert _fields(TextRequest, {"text": 42}) == ["text"]
    assert _fields(TextRequest, {"text": None}) == ["text"]
    assert parse(TextRequest, {"text": " hello "}).text == " hello "


def test_limits_and_lone_surrogates_are_refused_in_words() -> None:
    with pytest.raises(MalformedRequest) as refused:
        parse(LoginRequest, {"username": "dana", "password": "p" * 201})
    assert str(refused.value) == "'password' must be at most 200 characters long"
    with pytest.raises(MalformedRequest) as refused:
        parse(LoginRequest, {"username": "\ud800", "password": "x"})
    assert str(refused.value) == "'username' is not valid Unicode text"
    assert parse(TextRequest, {"text": "thanks \U0001f600"}).text == "thanks \U0001f600"


def test_the_refusal_never_repeats_the_value() -> None:
    secret = "hunter2-" + "s" * 300
    with pytest.raises(MalformedRequest) as refused:
        parse(LoginRequest, {"username": secret, "password": secret})
    assert "hunter2" not in str(refused.value)
    assert all("hunter2" not in problem.problem for problem in refused.value.problems)


def test_the_action_servers_routes_refuse_unknown_fields_and_name_them_only_if_plain() -> None:
    assert _fields(EscalationRequest, {"conversation_id": "c", "conversationId": "c"}) == ["conversationId"]
    odd_key = "<script>alert(1)</script>"
    assert _fields(EscalationRequest, {"conversation_id": "c", odd_key: 1}) == ["(unnamed)"]
    # the agent API's clients are browsers; what they add is ignored
    assert parse(TextRequest, {"text": "hi", "outcome": "resolved"}).text == "hi"


def test_escalation_defaults_and_context() -> None:
    body = parse(EscalationRequest, {"conversation_id": "c", "reason": "  ", "intents": [str(n) for n in range(30)]})
    assert body.reason_or_default() == "customer_request"
    assert body.context() == {"slots": {}, "intents": [str(n) for n in range(10, 30)]}
    assert _fields(EscalationRequest, {"conversation_id": "c", "intents": ["greet", 3]}) == ["intents.1"]
    assert _fields(EscalationRequest, {"conversation_id": "c", "slots": ["x"]}) == ["slots"]
    assert sorted(_fields(TicketRequest, {"conversation_id": "c"})) == ["email", "message"]


@pytest.mark.parametrize("rating", [0, 6, "five", True, 4.5, None, "-1"])
def test_a_rating_is_a_whole_number_from_1_to_5(rating: Any) -> None:
    assert _fields(RatingRequest, {"conversation_id": "c", "rating": rating}) == ["rating"]


def test_a_rating_sent_as_text_is_read_as_a_number() -> None:
    assert parse(RatingRequest, {"conversation_id": "c", "rating": "5"}).rating == 5


def test_an_unknown_status_lists_the_known_ones() -> None:
    with pytest.raises(MalformedRequest) as refused:
        parse(HandoffListQuery, {"status": "lost"})
    assert str(refused.value) == "'status' must be one of: waiting, active, closing, closed"
    assert parse(HandoffListQuery, {}).status.value == "waiting"
