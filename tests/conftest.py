"""Fixtures shared by every test folder, and the test tiers (`-m fast`: no processes, servers, PostgreSQL, model or browser)."""

from __future__ import annotations

from typing import Iterator, List

import pytest

from tests.support.speed_tiers import MARKERS, classify
from tests.support.stack import Stack, start_stack


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    classify(items)


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real assistant on free ports, with a fresh demo store; shared by all end-to-end tests."""
    running = start_stack(tmp_path_factory.mktemp("stack"))
    try:
        yield running.stack
    finally:
        running.stop()
