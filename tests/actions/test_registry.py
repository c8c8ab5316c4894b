"""The action server offers exactly the custom actions the domain names, under the same names."""
from __future__ import annotations

from typing import Any, Dict

from rasa_sdk.executor import ActionExecutor


def test_every_domain_action_is_served_and_nothing_else(domain: Dict[str, Any]) -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    served = set(executor.actions)
    custom = {name for name in domain["actions"] if name.startswith(("action_", "validate_"))}
    assert custom - served == set()
    assert served - custom == set()
