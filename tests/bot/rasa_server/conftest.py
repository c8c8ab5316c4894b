"""Fixtures for the Rasa-server plugin tests that serve real Sanic apps in this process."""

from __future__ import annotations

from typing import Iterator

import pytest
from sanic import Sanic


@pytest.fixture(scope="module")
def sanic_test_mode() -> Iterator[None]:
    # Several apps start in this process; outside test mode Sanic rewrites its HTTP handlers again for each.
    before = Sanic.test_mode
    Sanic.test_mode = True
    yield
    Sanic.test_mode = before
