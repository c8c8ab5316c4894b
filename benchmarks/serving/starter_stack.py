"""Rasa 3.6's stock starter assistant (`rasa init --no-prompt`), trained and served the same way."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Tuple

from benchmarks.serving.processes import ServerGroup, free_port, run_checked


def create_starter(workdir: Path) -> Tuple[Path, float]:
    """`rasa init` writes the starter project and trains it; returns (folder, training seconds)."""
    folder = workdir / "starter"
    seconds_file = workdir / "starter-training-seconds.txt"
    if (folder / "models").exists() and any((folder / "models").glob("*.tar.gz")) and seconds_file.exists():
        return folder, float(seconds_file.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    seconds = run_checked(
        [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        env=env,
        log_path=workdir / "starter-init.log",
    )
    seconds_file.write_text(f"{seconds:.1f}")
    return folder, seconds


# Rasa's own socket.io channel beside the starter's REST channel. Without session persistence: with it,
# Rasa 3.6 calls python-socketio 5's `enter_room` (now a coroutine) without awaiting it, so the socket never
# joins its session's room and no reply reaches it; without it each socket is its own conversation.
STARTER_CREDENTIALS = """rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: false
"""


def start_starter(folder: Path, workdir: Path) -> Tuple[ServerGroup, str]:
    """Serves the starter with `rasa run --enable-api` as its own README would, with socket.io switched on."""
    port = free_port()
    credentials = workdir / "starter-credentials.yml"
    credentials.write_text(STARTER_CREDENTIALS)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("SANIC_WORKERS", None)
    group = ServerGroup(workdir)
    group.start(
        "starter Rasa server",
        [
            sys.executable,
            "-m",
            "rasa",
            "run",
            "--enable-api",
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--credentials",
            str(credentials),
        ],
        folder,
        env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        group.wait_until_answering({"starter Rasa server": f"{url}/status"})
    except RuntimeError:
        group.stop()
        raise
    return group, url
