"""Starts server processes with their logs in a work folder, waits until they answer, stops them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, headers: Optional[Dict[str, str]] = None) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class ServerGroup:
    """Processes started together and stopped together."""

    workdir: Path
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: Dict[str, Path] = field(default_factory=dict)

    def start(self, name: str, command: Sequence[str], cwd: Path, env: Dict[str, str]) -> None:
        log_path = self.workdir / f"{name.replace(' ', '-')}.log"
        self.logs[name] = log_path
        self.processes[name] = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_answering(
        self, urls: Dict[str, Union[str, Tuple[str, Dict[str, str]]]], timeout: float = 420.0
    ) -> None:
        """`urls` maps a process to the URL that answers once it is ready, or to (URL, headers)."""
        deadline = time.monotonic() + timeout
        pending = dict(urls)
        while pending and time.monotonic() < deadline:
            for name, url in list(pending.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} stopped while starting:\n{self.log_tail(name)}")
                if answers(*((url,) if isinstance(url, str) else url)):
                    pending.pop(name)
            time.sleep(0.5)
        if pending:
            raise RuntimeError(f"not answering after {timeout:.0f} s: {', '.join(pending)}")

    def pids(self) -> Dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs.get(name)
        if not path or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to each process group we started (Sanic workers included), then SIGKILL."""
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


def run_checked(command: List[str], cwd: Path, env: Optional[Dict[str, str]], log_path: Path) -> float:
    """Runs a command to completion, logging to a file; returns its duration in seconds."""
    started = time.perf_counter()
    with log_path.open("wb") as log:
        completed = subprocess.run(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(command[:4])} failed ({completed.returncode}):\n{tail}")
    return time.perf_counter() - started
