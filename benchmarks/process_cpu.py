"""CPU time of a process tree and of the machine's shared services, read from /proc."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterable, List

from benchmarks.process_memory import child_pids

# The services a scaled deployment shares (Redis, RabbitMQ's Erlang VM, PostgreSQL), by process name.
SERVICE_NAMES = ("redis-server", "beam.smp", "postgres")


def _own_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # utime and stime, the 14th and 15th fields of the line (11th and 12th after the name)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_pids(pid: int) -> List[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(child_pids(current))
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User and system CPU seconds of these processes so far (a finished process counts no more)."""
    return sum(_own_cpu_seconds(pid) for pid in pids)


def service_pids() -> List[int]:
    """The running processes of the shared services."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in SERVICE_NAMES:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class CpuMeter:
    """CPU seconds each named process tree (and the shared services) spends between `start` and `stop`."""

    SERVICES = "Redis, RabbitMQ, PostgreSQL"

    def __init__(self, instances: Dict[str, int]) -> None:
        self._trees = {name: tree_pids(pid) for name, pid in instances.items()}
        self._trees[self.SERVICES] = service_pids()
        self._started: Dict[str, float] = {}

    def start(self) -> None:
        self._started = {name: cpu_seconds(pids) for name, pids in self._trees.items()}

    def per_message_ms(self, messages: int) -> Dict[str, float]:
        if messages <= 0:
            return {}
        return {
            name: round(1000 * (cpu_seconds(pids) - self._started.get(name, 0.0)) / messages, 1)
            for name, pids in self._trees.items()
        }
