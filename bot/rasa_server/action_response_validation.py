"""Checks action server replies against Rasa's response schema with validators built once per process.

Rasa's event schema says an event is `oneOf` 23 event schemas, each fixing `event` to its own name, so
checking one event ran all 23. Since the names differ, an event with a known name matches `oneOf` exactly
when it matches the one schema of that name: the fast check runs that one, per event, and the rest of the
reply against the schema with the events' items left open. Whenever it finds anything wrong, the full
validator decides and words the error, so what is accepted and every error are Rasa's.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Mapping

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


@dataclass(frozen=True)
class FastCheck:
    """The reply without its events' items, and one validator per event name."""

    reply: Validator
    event_by_name: Mapping[str, Validator]

    def accepts(self, result: Any) -> bool:
        if not self.reply.is_valid(result):
            return False
        events = result.get("events", []) if isinstance(result, dict) else []
        for event in events if isinstance(events, list) else []:
            name = event.get("event") if isinstance(event, dict) else None
            validator = self.event_by_name.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True


@lru_cache(maxsize=1)
def fast_check() -> FastCheck:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    event_schema = schema["properties"]["events"]["items"]
    without_items = copy.deepcopy(schema)
    without_items["properties"]["events"]["items"] = {}
    event_by_name: Dict[str, Validator] = {}
    for choice in event_schema["oneOf"]:
        one = {key: value for key, value in event_schema.items() if key != "oneOf"}
        one["allOf"] = [choice]
        event_by_name[choice["properties"]["event"]["const"]] = validator_for(schema)(one)
    return FastCheck(reply=validator_for(schema)(without_items), event_by_name=event_by_name)


def validate_action_response(result: Dict[str, Any]) -> None:
    """Raises the same `ValidationError` `jsonschema.validate` would for a malformed reply."""
    if fast_check().accepts(result):
        return
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
    fast_check()
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
