"""Tests land in their tier from what their code and fixtures reach, through helpers of the test package."""

from __future__ import annotations

from typing import List

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
from tests.support.speed_tiers import MARKERS, classify


def pytest_configure(config):
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(config, items):
    classify(items)
"""
TESTS = """
import subprocess
import threading

import pytest

from tests.support.handoff_fixtures import StandInRasa


def start_child():
    subprocess.run(["true"], check=True)


@pytest.fixture
def rasa():
    return StandInRasa


def test_plain():
    assert sum([1, 2]) == 3


def test_through_a_helper():
    start_child()


def test_through_a_fixture(rasa):
    assert rasa


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_on_each_backend(backend):
    assert backend


def test_racing():
    threading.Barrier(2)


def test_on_the_stack(running_stack):
    assert running_stack
"""


def _selected(pytester: pytest.Pytester, expression: str) -> List[str]:
    result = pytester.runpytest_inprocess("--collect-only", "-q", "-m", expression, "-p", "no:cacheprovider")
    return sorted(line.split("::", 1)[1] for line in result.outlines if "::" in line)


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST + "\n\n@__import__('pytest').fixture\ndef running_stack():\n    return 1\n")
    pytester.makepyfile(test_sample=TESTS)
    return pytester


def test_only_what_reaches_nothing_slow_is_fast(suite: pytest.Pytester) -> None:
    assert _selected(suite, "fast") == ["test_on_each_backend[sqlite]", "test_plain"]


def test_each_slow_tier_gets_what_reaches_it(suite: pytest.Pytester) -> None:
    assert _selected(suite, "stack") == ["test_on_the_stack", "test_through_a_helper"]
    assert _selected(suite, "server") == ["test_through_a_fixture"]
    assert _selected(suite, "services") == ["test_on_each_backend[postgresql]"]
    assert _selected(suite, "load") == ["test_racing"]
    assert _selected(suite, "model") == ["test_on_the_stack"]
