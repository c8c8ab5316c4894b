"""Child processes kept running: one that dies is logged with its exit status and started again after a back-off.

The others are left alone meanwhile, so a crash of one process takes out only what that process serves.
`tend()` does one round (notice deaths, start what is due) and is called in a loop by `python -m bot run`.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from dataclasses import dataclass
from typing import Callable, Dict, Generic, Iterable, List, Optional, Protocol, Sequence, TypeVar

from bot.supervisor.restart_backoff import RestartBackoff

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 15.0


class NamedCommand(Protocol):
    @property
    def name(self) -> str: ...


Spec = TypeVar("Spec", bound=NamedCommand)
Clock = Callable[[], float]


def exit_description(returncode: int) -> str:
    """`exit code 1`, or `killed by SIGKILL` (Popen reports a signal as a negative return code)."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


@dataclass
class _Child(Generic[Spec]):
    spec: Spec
    process: Optional[subprocess.Popen[bytes]]
    started_at: float
    backoff: RestartBackoff
    restart_at: Optional[float] = None
    restarts: int = 0


class SupervisedChildren(Generic[Spec]):
    """The children of one supervisor, each started by `launch` and restarted with its own back-off."""

    def __init__(
        self,
        specs: Sequence[Spec],
        launch: Callable[[Spec], subprocess.Popen[bytes]],
        backoff: Callable[[], RestartBackoff] = RestartBackoff,
        clock: Clock = time.monotonic,
    ) -> None:
        self._specs = list(specs)
        self._launch = launch
        self._backoff = backoff
        self._clock = clock
        self._children: Dict[str, _Child[Spec]] = {}

    def start_all(self, only: Optional[Iterable[Spec]] = None) -> None:
        """Starts every child, or only those given; a child is tended from its first start on."""
        for spec in self._specs if only is None else list(only):
            self._children[spec.name] = _Child(spec, self._launch(spec), self._clock(), self._backoff())

    @property
    def processes(self) -> Dict[str, subprocess.Popen[bytes]]:
        """The current process of each child that is running or has died and is waiting for its restart."""
        return {name: child.process for name, child in self._children.items() if child.process is not None}

    def restarts(self, name: str) -> int:
        return self._children[name].restarts

    def tend(self) -> List[str]:
        """One round: log and schedule every child that died, start every child whose wait is over.

        Returns the names of the children started in this round.
        """
        now = self._clock()
        started: List[str] = []
        for name, child in self._children.items():
            if child.restart_at is None and child.process is not None and child.process.poll() is not None:
                delay = child.backoff.delay_after(now - child.started_at)
                child.restart_at = now + delay
                logger.warning(
                    "%s stopped (%s) after %.0f s; starting it again in %.0f s",
                    name,
                    exit_description(child.process.returncode),
                    now - child.started_at,
                    delay,
                )
            elif child.restart_at is not None and now >= child.restart_at:
                child.process = self._launch(child.spec)
                child.started_at = now
                child.restart_at = None
                child.restarts += 1
                started.append(name)
                logger.warning("%s started again (restart %d)", name, child.restarts)
        return started

    def stop_all(self) -> None:
        stop_processes(self.processes.values())


def stop_processes(processes: Iterable[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to every process still running, then SIGKILL to any still there after the grace period."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
