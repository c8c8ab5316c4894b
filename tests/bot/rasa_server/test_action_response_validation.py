"""Rasa's action server replies checked with the validator built once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError

from bot.rasa_server import action_response_validation
from bot.rasa_server.action_response_validation import action_response_validator, validate_action_response

VALID_REPLY = {
    "events": [{"event": "slot", "name": "order_number", "value": "ORD-100123"}],
    "responses": [{"text": "Your order is on its way."}],
}


def test_a_well_formed_reply_passes() -> None:
    validate_action_response(VALID_REPLY)


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list"},
        {"events": [{"event": "no_such_event"}]},
        {"responses": [42]},
    ],
)
def test_a_malformed_reply_is_rejected(reply: dict) -> None:
    with pytest.raises(ValidationError):
        validate_action_response(reply)


def test_the_validator_is_built_once() -> None:
    assert action_response_validator() is action_response_validator()


def test_installed_into_rasa_remote_actions_with_rasas_error_message() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    original = RemoteAction._validate_action_result
    try:
        action_response_validation.install()
        action = RemoteAction("action_order_status", EndpointConfig("http://127.0.0.1:9/webhook"))
        assert action._validate_action_result(VALID_REPLY) is True
        with pytest.raises(ValidationError) as raised:
            action._validate_action_result({"events": [{"event": "no_such_event"}]})
        assert "Failed to validate Action server response" in raised.value.message
    finally:
        RemoteAction._validate_action_result = original


def _all_event_kinds() -> list:
    return [
        {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}},
        {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0, "timestamp": 1.0},
        {"event": "slot", "name": "order_number", "value": None, "timestamp": None},
        {"event": "bot", "text": "Hello", "data": {}, "metadata": {}},
        {"event": "active_loop", "name": None},
        {"event": "followup", "name": "utter_greet"},
        {"event": "reminder", "intent": "x", "date_time": "2026-01-01T00:00:00"},
        {"event": "session_started", "metadata": None},
        {"event": "reset_slots"},
        {"event": "pause"},
        {"event": "resume"},
    ]


@pytest.mark.parametrize(
    "reply",
    [
        VALID_REPLY,
        {"events": _all_event_kinds(), "responses": []},
        {},
        {"events": []},
        {"events": "not a list"},
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"name": "no event key"}]},
        {"events": [{"event": "slot", "name": "order_number"}]},
        {"events": [{"event": "slot", "name": 5, "value": 1}]},
        {"events": [{"event": "user", "text": 5}]},
        {"events": [{"event": "action", "name": "x", "timestamp": "yesterday"}]},
        {"events": [{"event": "bot", "metadata": "not an object"}]},
        {"events": ["not an object"]},
        {"events": [{"event": 7}]},
        {"events": [{"event": ["slot"]}]},
        {"responses": [42]},
        {"responses": "text"},
        ["not", "an", "object"],
    ],
)
def test_the_fast_check_accepts_exactly_what_the_full_schema_accepts(reply: object) -> None:
    full = action_response_validator().is_valid(reply)
    assert action_response_validation.fast_check().accepts(reply) is full
    if full:
        validate_action_response(reply)  # type: ignore[arg-type]
    else:
        with pytest.raises(ValidationError) as raised:
            validate_action_response(reply)  # type: ignore[arg-type]
        expected = action_response_validation.best_match(action_response_validator().iter_errors(reply))
        assert expected is not None and raised.value.message == expected.message
