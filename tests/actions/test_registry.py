"""The action server offers exactly the custom actions the domain names, under the same names."""

from __future__ import annotations

from bot.action_server.executor import ContextActionExecutor
from bot.store.context import StoreContext
from tests.actions.domain_sending import custom_action_names


def test_every_domain_action_is_served_and_nothing_else(context: StoreContext) -> None:
    executor = ContextActionExecutor(context)
    executor.register_package("actions")
    # Action classes defined by tests are registered too (the executor scans all subclasses): only count ours.
    served = {
        name
        for name, run in executor.actions.items()
        if type(getattr(run, "__self__", None)).__module__.startswith("actions.")
    }
    custom = custom_action_names()
    assert custom - served == set()
    assert served - custom == set()


def test_an_action_class_and_its_name_agree(context: StoreContext) -> None:
    executor = ContextActionExecutor(context)
    executor.register_package("actions")
    ours = [run.__self__ for run in executor.actions.values() if type(run.__self__).__module__.startswith("actions.")]
    for action in ours:
        spelled = "".join(f"_{letter.lower()}" if letter.isupper() else letter for letter in type(action).__name__)
        assert spelled.lstrip("_") == action.name()
