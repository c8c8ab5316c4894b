"""The action server offers exactly the custom actions the domain names, under the same names."""
from __future__ import annotations

from typing import Any, Dict

from rasa_sdk.executor import ActionExecutor


def test_every_domain_action_is_served_and_nothing_else(domain: Dict[str, Any]) -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    # Action classes defined by tests are registered too (the executor scans all subclasses): only count ours.
    served = {
        name
        for name, run in executor.actions.items()
        if type(getattr(run, "__self__", None)).__module__.startswith("actions.")
    }
    custom = {name for name in domain["actions"] if name.startswith(("action_", "validate_"))}
    assert custom - served == set()
    assert served - custom == set()
