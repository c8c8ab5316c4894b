"""Checks action server replies against Rasa's response schema with one validator built once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The schema is fixed, so it is checked against its meta-schema once, not on every action call.

    `jsonschema.validate` re-checks the schema on each call; with jsonschema 4's 2020-12 meta-schema that
    costs tens of milliseconds, more than the rest of a custom action's round trip.
    """
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_response(result: Dict[str, Any]) -> None:
    """Raises the same `ValidationError` `jsonschema.validate` would for a malformed reply."""
    error = best_match(action_response_validator().iter_errors(result))
    if error is not None:
        raise error


def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        validate_action_response(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    """Makes Rasa's remote actions use the prebuilt validator (same schema, same errors)."""
    from rasa.core.actions.action import RemoteAction

    action_response_validator()
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
