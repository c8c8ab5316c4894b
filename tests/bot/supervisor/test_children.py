"""Supervised children are real processes: one that dies is logged and started again with growing waits while
the others keep running, and stopping stops all of them."""

from __future__ import annotations

import itertools
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Iterator, List, Sequence

import pytest

from bot.supervisor.children import SupervisedChildren
from bot.supervisor.restart_backoff import RestartBackoff

FIRST_DELAY, LONGEST_DELAY = 0.2, 0.8


@dataclass(frozen=True)
class Command:
    name: str
    command: Sequence[str]


CRASHER = Command("crasher", [sys.executable, "-c", "import sys; sys.exit(3)"])
STEADY = Command("steady", [sys.executable, "-c", "import time; time.sleep(120)"])


def launch(spec: Command) -> subprocess.Popen[bytes]:
    return subprocess.Popen(spec.command)


@pytest.fixture
def children() -> Iterator[SupervisedChildren[Command]]:
    supervised = SupervisedChildren(
        [CRASHER, STEADY], launch, lambda: RestartBackoff(first_delay=FIRST_DELAY, longest_delay=LONGEST_DELAY)
    )
    supervised.start_all()
    yield supervised
    supervised.stop_all()


def tend_for(children: SupervisedChildren[Command], seconds: float) -> List[tuple]:
    """(time, name) of every start during `seconds` of tending."""
    starts = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        starts += [(time.monotonic(), name) for name in children.tend()]
        time.sleep(0.01)
    return starts


def test_a_child_that_dies_is_started_again_with_doubling_waits(
    children: SupervisedChildren[Command], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.supervisor.children")
    starts = [at for at, name in tend_for(children, 3.5) if name == "crasher"]
    assert len(starts) >= 4
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    # Each gap is the wait plus the time the child takes to die; the waits go 0.4, 0.8, 0.8 ...
    assert gaps[0] >= 2 * FIRST_DELAY and gaps[1] >= LONGEST_DELAY and gaps[2] >= LONGEST_DELAY
    assert all(gap < LONGEST_DELAY + 1.0 for gap in gaps)
    assert "crasher stopped (exit code 3)" in caplog.text
    assert children.restarts("crasher") == len(starts)


def test_the_other_children_keep_running_meanwhile(children: SupervisedChildren[Command]) -> None:
    steady = children.processes["steady"]
    tend_for(children, 1.5)
    assert children.processes["steady"] is steady
    assert steady.poll() is None
    assert children.restarts("steady") == 0


def test_a_killed_child_is_logged_with_its_signal_and_started_again(
    children: SupervisedChildren[Command], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.supervisor.children")
    killed = children.processes["steady"]
    os.kill(killed.pid, signal.SIGKILL)
    starts = [name for _, name in tend_for(children, 1.0) if name == "steady"]
    assert starts == ["steady"]
    assert "steady stopped (killed by SIGKILL)" in caplog.text
    replacement = children.processes["steady"]
    assert replacement.pid != killed.pid and replacement.poll() is None


def test_stopping_stops_every_child(children: SupervisedChildren[Command]) -> None:
    processes = list(children.processes.values())
    children.stop_all()
    assert all(process.poll() is not None for process in processes)
