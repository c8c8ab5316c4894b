"""The action endpoint sends the domain only to the actions that read it; each of those is marked in domain.yml.

Every other action test runs its action with the domain as Rasa sends it (tests/actions/dialogue.py, `run`):
an action that needs the domain but gets none answers differently there. Here every action the server offers,
the form validators included, runs on a few typical conversations with a domain that notes whether it was
looked at. tests/actions/test_form_validator.py checks that the validators answer as they did with it.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.action_server.executor import ContextActionExecutor
from bot.demo.showcase import PROCESSING, SHIPPED
from bot.store.context import StoreContext
from tests.actions.dialogue import context_for, make_tracker, user_message, verified_for
from tests.actions.domain_sending import custom_action_names, gets_the_domain

# Nothing listens there: the handoff actions take their "service unavailable" path at once.
CLOSED_SERVICE_URL = "http://127.0.0.1:9"


class RecordingDomain(Dict[str, Any]):
    """The real domain, remembering whether anything of it was read."""

    read = False

    def _note(self) -> None:
        self.read = True

    def __getitem__(self, key: str) -> Any:
        self._note()
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note()
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._note()
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self._note()
        return super().__iter__()

    def __len__(self) -> int:
        self._note()
        return super().__len__()

    def keys(self) -> Any:
        self._note()
        return super().keys()

    def items(self) -> Any:
        self._note()
        return super().items()

    def values(self) -> Any:
        self._note()
        return super().values()


def _conversations(domain: Dict[str, Any]) -> List[Tracker]:
    """A new conversation, one a person holds, and verified ones about an unshipped and a shipped order."""
    yes = user_message("yes", "affirm")
    return [
        make_tracker(domain),
        make_tracker(domain, paused=True),
        make_tracker(domain, slots=verified_for(PROCESSING.number, PROCESSING.customer_email), message=yes),
        make_tracker(domain, slots={**verified_for(SHIPPED.number, SHIPPED.customer_email), "rating": 4}),
    ]


@pytest.fixture
def served(store_url: str) -> Iterator[Dict[str, Any]]:
    """Each custom action's `run`, created as the action server creates it."""
    context: StoreContext = context_for(store_url, SERVICE_URL=CLOSED_SERVICE_URL)
    executor = ContextActionExecutor(context)
    executor.register_package("actions")
    yield {name: run for name, run in executor.actions.items() if name in custom_action_names()}
    context.threads.close()
    context.store.engine.dispose()


async def test_exactly_the_actions_that_read_the_domain_are_marked(
    served: Dict[str, Any], domain: Dict[str, Any]
) -> None:
    """A validator that reads the domain (rasa-sdk's FormValidationAction does) fails here as any action does."""
    readers = set()
    for name, run in served.items():
        for tracker in _conversations(domain):
            recording = RecordingDomain(domain)
            await run(CollectingDispatcher(), tracker, recording)
            if recording.read:
                readers.add(name)
    marked = {name for name in served if gets_the_domain(name)}
    assert readers == marked == {"action_session_start", "action_restart"}
