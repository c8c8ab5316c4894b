"""Fixtures for the Rasa-server plugin tests that serve real Sanic apps in this process."""

from __future__ import annotations

from typing import Iterator, List

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic


@pytest.fixture(scope="module")
def sanic_test_mode() -> Iterator[None]:
    # Several apps start in this process; outside test mode Sanic rewrites its HTTP handlers again for each.
    before = Sanic.test_mode
    Sanic.test_mode = True
    yield
    Sanic.test_mode = before


@pytest.fixture(scope="module")
def received() -> List[UserMessage]:
    """The messages a test module's channels passed on to Rasa, in order."""
    return []
