"""The whole assistant under its own supervisor, `python -m bot run`, on free ports: children to kill and see restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

import requests

from bot.shared.settings import PROJECT_ROOT, Settings
from tests.support.stack import MODEL, Stack, build_demo_database, free_port, stack_environment

# How each child shows in its command line (`python -m ...`).
CHILD_MODULES = {
    "Rasa server": "bot.rasa_server.launch",
    "action server": "bot.action_server.launch",
    "bot service": "serve",
}
READY_SECONDS = 240.0


@dataclass
class SupervisedStack:
    """A running `python -m bot run` and where its children answer."""

    stack: Stack
    supervisor: subprocess.Popen[bytes]
    log: Path

    def child_pid(self, name: str) -> Optional[int]:
        """The process id of the supervisor's child `name`, found among the supervisor's own children."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                arguments = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            if parent == self.supervisor.pid and CHILD_MODULES[name].encode() in arguments:
                return int(entry.name)
        return None

    def kill(self, name: str) -> int:
        """SIGKILL to one child: no handler of its own runs. Returns the killed process id."""
        pid = self.child_pid(name)
        assert pid is not None, f"the supervisor has no running {name}"
        os.kill(pid, signal.SIGKILL)
        return pid

    def ready(self, name: str) -> bool:
        stack = self.stack
        url, headers = {
            "Rasa server": (f"{stack.rasa_url}/status", stack.rasa_api_headers),
            "action server": (f"{stack.action_server_url}/health", {}),
            "bot service": (f"{stack.service_url}/health", {}),
        }[name]
        try:
            return requests.get(url, headers=headers, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def wait_restarted(self, name: str, killed_pid: int, timeout: float = READY_SECONDS) -> float:
        """Seconds until a new process of `name` answers."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            pid = self.child_pid(name)
            if pid is not None and pid != killed_pid and self.ready(name):
                return time.monotonic() - started
            assert self.supervisor.poll() is None, "the supervisor itself stopped:\n" + self.log_tail()
            time.sleep(0.2)
        raise AssertionError(f"{name} was not started again within {timeout:.0f} s:\n" + self.log_tail())

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.supervisor.poll() is None:
            self.supervisor.send_signal(signal.SIGINT)
            try:
                self.supervisor.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.supervisor.kill()
                self.supervisor.wait()


def start_supervised_stack(workdir: Path, extra_env: Optional[Dict[str, str]] = None) -> SupervisedStack:
    """`python -m bot run` with the test secrets and a fresh demo store; returns once all three answer."""
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: train the model first (`make train`)")
    overrides = stack_environment(workdir, free_port())
    overrides.update(extra_env or {})
    env = {**os.environ, **overrides}
    for name in ("DEMO_MODE", "ASSISTANT_ENV", "RABBITMQ_URL", "WEBCHAT_DEMO_SIGNIN"):
        env.pop(name, None)
    settings = Settings.from_env(env)
    build_demo_database(settings.database_url)
    log = workdir / "supervisor.log"
    with log.open("ab") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--model", str(MODEL)],
            cwd=PROJECT_ROOT,
            env={**env, "PYTHONPATH": str(PROJECT_ROOT)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    stack = Stack(
        rasa_url=settings.rasa_url,
        action_server_url=f"http://127.0.0.1:{settings.action_port}",
        service_url=settings.service_url,
        database_url=settings.database_url,
        tracker_db=Path(settings.tracker_db),
        events_db=Path(settings.events_db),
        workdir=workdir,
        settings=settings,
        environment=overrides,
        spare_service_port=free_port(),
    )
    running = SupervisedStack(stack, supervisor, log)
    deadline = time.monotonic() + READY_SECONDS
    while not all(running.ready(name) for name in CHILD_MODULES):
        if supervisor.poll() is not None or time.monotonic() > deadline:
            running.stop()
            raise RuntimeError("the assistant did not start under its supervisor:\n" + running.log_tail())
        time.sleep(0.5)
    return running
