"""Resident memory of a process and its children, read from /proc (psutil is not a dependency)."""

from __future__ import annotations

from pathlib import Path
from typing import List


def child_pids(pid: int) -> List[int]:
    """The direct children of a process, from every one of its threads."""
    children: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def resident_mib(pid: int) -> float:
    """RSS of the process tree in MiB; 0 when the process is gone."""
    total_kib = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
                    break
        except OSError:
            continue
        pending.extend(child_pids(current))
    return round(total_kib / 1024, 1)
