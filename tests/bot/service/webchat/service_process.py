"""Starting a real bot service process on a free port, with the environment a test asks for."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Optional, Tuple

from bot.shared.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_service_process(
    workdir: Path, extra_env: Dict[str, str], port: Optional[int] = None
) -> Tuple[subprocess.Popen, str]:
    """Returns the process and its base URL once `/health` answers."""
    port = port or free_port()
    env = dict(os.environ)
    env.update(
        {
            "SERVICE_PORT": str(port),
            "DATABASE_URL": f"sqlite:///{workdir / 'shop.db'}",
            "EVENTS_DB": str(workdir / "events.db"),
            "TRACKER_DB": str(workdir / "rasa.db"),
            # Nothing listens here unless the test says otherwise: a Rasa server that is down.
            "RASA_URL": f"http://127.0.0.1:{free_port()}",
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
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the bot service stopped while starting:\n" + log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(base_url + "/health", timeout=2):
                return process, base_url
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the bot service did not start:\n" + log.read_text(errors="replace"))


def stop_service_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
