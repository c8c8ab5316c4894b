"""Sorts tests into tiers by what they reach: processes, servers, databases and brokers, the model, a browser, load.

A test reaches what its own code, its fixtures' code and the helpers those call name (followed through
every function and class defined below tests/ or beside the test). Whatever a new test uses is
classified the same way, so no test needs a marker by hand.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Set, Tuple

import pytest

from tests.support.stack import MODEL

STACK = "stack"
SERVER = "server"
SERVICES = "services"
MODEL_TIER = "model"
BROWSER = "browser"
LOAD = "load"
FAST = "fast"
SLOW_TIERS = (STACK, SERVER, SERVICES, MODEL_TIER, BROWSER, LOAD)
MARKERS: Dict[str, str] = {
    STACK: "starts processes: the assistant, a bot service, a supervisor, a Rasa or lint command",
    SERVER: "serves HTTP in the test process (the bot service app, a stand-in Rasa or platform)",
    SERVICES: "talks to PostgreSQL, RabbitMQ or Redis on this machine",
    MODEL_TIER: "needs the trained model (models/shop.tar.gz) or trains a dialogue model",
    BROWSER: "drives a real browser through Playwright",
    LOAD: "races threads or measures work and time: seconds of CPU, best on a quiet machine",
    FAST: "none of the slow tiers: one process, SQLite only, no model, no load (`pytest -m fast`)",
}
_TESTS_FOLDER = f"{Path(__file__).resolve().parents[1]}/"
# fixtures that are slow whatever their code names (a session fixture starts the whole assistant)
_SLOW_FIXTURES: Dict[str, FrozenSet[str]] = {
    "running_stack": frozenset({STACK, MODEL_TIER}),
    "chromium": frozenset({BROWSER}),
    "new_context": frozenset({BROWSER}),
    "page": frozenset({BROWSER}),
}
# attribute names that only code starting a listening server calls
_SERVING_NAMES = frozenset({"create_server", "start_server", "TCPSite", "serve_forever", "run_app"})
# clients and addresses of the services a test may need running beside it
_SERVICE_CLIENTS = frozenset({"aio_pika", "pika", "redis", "psycopg2"})
_SERVICE_URLS = ("postgresql://", "amqp://", "redis://")
# what only a race of many threads or a measurement of work or time uses
_LOAD_NAMES = frozenset({"Barrier", "perf_counter", "process_time", "thread_time"})


def tiers_of(item: pytest.Item) -> FrozenSet[str]:
    """The slow tiers `item` belongs to; empty when it is fast."""
    found: Set[str] = set()
    for name in getattr(item, "fixturenames", ()):
        found |= _SLOW_FIXTURES.get(name, frozenset())
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "postgresql" in [str(value) for value in callspec.params.values()]:
        found.add(SERVICES)
    folders = (_TESTS_FOLDER, f"{Path(str(item.path)).parent}/")
    for name, value in _reached(_starting_points(item), folders):
        found |= _tiers_of_name(name, value)
    return frozenset(found)


def classify(items: Iterable[pytest.Item]) -> None:
    """Adds each item's tier markers, and `fast` when it has none of the slow ones (nor one set by hand)."""
    for item in items:
        tiers = set(tiers_of(item)) | {name for name in SLOW_TIERS if item.get_closest_marker(name) is not None}
        for tier in sorted(tiers or {FAST}):
            item.add_marker(getattr(pytest.mark, tier))


def _starting_points(item: pytest.Item) -> List[object]:
    """The test function and every fixture function it asks for, directly or through other fixtures."""
    starts: List[object] = [getattr(item, "obj", None)]
    info = getattr(item, "_fixtureinfo", None)
    for definitions in getattr(info, "name2fixturedefs", {}).values():
        starts.extend(definition.func for definition in definitions)
    return [start for start in starts if start is not None]


def _tiers_of_name(name: str, value: object) -> FrozenSet[str]:
    if name in _SERVING_NAMES:
        return frozenset({SERVER})
    if name in _LOAD_NAMES:
        return frozenset({LOAD})
    module_name = value.__name__ if isinstance(value, types.ModuleType) else str(getattr(value, "__module__", ""))
    if module_name == "subprocess" or module_name.startswith("asyncio.subprocess"):
        return frozenset({STACK})
    if module_name.startswith("playwright"):
        return frozenset({BROWSER})
    if module_name.split(".")[0] in _SERVICE_CLIENTS:
        return frozenset({SERVICES})
    if isinstance(value, str) and value.startswith(_SERVICE_URLS):
        return frozenset({SERVICES})
    if isinstance(value, Path) and value == MODEL:
        return frozenset({MODEL_TIER})
    return frozenset()


def _reached(starts: Iterable[object], folders: Tuple[str, ...]) -> Iterator[Tuple[str, object]]:
    """(name, value) of every name the starts' code uses, following what is defined in `folders`.

    The value is None for an attribute or a local name.
    """
    seen: Set[int] = set()
    pending = list(starts)
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for function in _functions_of(current):
            for name in _names(function.__code__):
                value = function.__globals__.get(name)
                yield name, value
                if _defined_in(value, folders):
                    pending.append(value)


def _functions_of(value: object) -> Iterator[types.FunctionType]:
    unwrapped = getattr(value, "__wrapped__", value)
    if isinstance(unwrapped, types.FunctionType):
        yield unwrapped
    elif isinstance(unwrapped, type):
        for member in vars(unwrapped).values():
            member = getattr(member, "__func__", member)
            if isinstance(member, property):
                member = member.fget
            if isinstance(member, types.FunctionType):
                yield member


def _names(code: types.CodeType) -> Iterator[str]:
    """Global and attribute names, including those of nested functions and comprehensions."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _names(constant)


def _defined_in(value: object, folders: Tuple[str, ...]) -> bool:
    """A function or class from a file below one of `folders` (module names there depend on pytest's import)."""
    if isinstance(value, types.FunctionType):
        filename = value.__code__.co_filename
    elif isinstance(value, type):
        filename = str(getattr(sys.modules.get(value.__module__), "__file__", "") or "")
    else:
        return False
    return filename.startswith(folders)
