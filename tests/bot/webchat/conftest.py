"""A real bot service process, started on a free port with the environment a test asks for."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import pytest

from bot.config import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the bot service stopped while starting:\n" + log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError("the bot service did not start:\n" + log.read_text(errors="replace"))


@pytest.fixture(scope="module")
def start_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Dict[str, str]], str]]:
    """Starts `python -m bot serve` with extra environment; returns its base URL."""
    processes: List[subprocess.Popen] = []

    def start(extra_env: Dict[str, str]) -> str:
        workdir = tmp_path_factory.mktemp("service")
        port = _free_port()
        env = dict(os.environ)
        env.update(
            {
                "SERVICE_PORT": str(port),
                "DATABASE_URL": f"sqlite:///{workdir / 'shop.db'}",
                "EVENTS_DB": str(workdir / "events.db"),
                "TRACKER_DB": str(workdir / "rasa.db"),
                # Nothing listens here: history requests meet a Rasa server that is down.
                "RASA_URL": f"http://127.0.0.1:{_free_port()}",
                "PYTHONPATH": str(PROJECT_ROOT),
            }
        )
        env.update(extra_env)
        log = workdir / "service.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(base_url + "/health", process, log)
        return base_url

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
