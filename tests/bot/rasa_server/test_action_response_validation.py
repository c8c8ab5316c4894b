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
