"""Fixtures shared by every test folder."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.support.stack import Stack, start_stack


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real assistant on free ports, with a fresh demo store; shared by all end-to-end tests."""
    running = start_stack(tmp_path_factory.mktemp("stack"))
    try:
        yield running.stack
    finally:
        running.stop()
