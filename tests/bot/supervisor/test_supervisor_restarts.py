"""`python -m bot run`'s loop with real children: a killed child is started again while the other keeps
serving, and Ctrl-C (SIGINT) stops the supervisor and every child."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Dict, Iterator, Optional

import pytest

from bot.shared.settings import PROJECT_ROOT
from tests.support.stack import free_port

# A child that answers every GET with its own process id.
PID_SERVER = """
import http.server, os, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = str(os.getpid()).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""

SUPERVISOR = """
import json, logging, subprocess, sys
from bot.supervisor.run import ProcessSpec, run_children
logging.basicConfig(level=logging.INFO)
ports = json.loads(sys.argv[1])
specs = [ProcessSpec(name, [sys.executable, "-c", sys.argv[2], str(port)], f"http://127.0.0.1:{port}/")
         for name, port in ports.items()]
sys.exit(run_children(specs, lambda spec: subprocess.Popen(spec.command), lambda: print("ready", flush=True)))
"""


def pid_at(port: int) -> Optional[int]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as answer:
            return int(answer.read())
    except (urllib.error.URLError, OSError):
        return None


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def ports() -> Dict[str, int]:
    return {"first": free_port(), "second": free_port()}


@pytest.fixture
def supervisor(ports: Dict[str, int]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, json.dumps(ports), PID_SERVER],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_a_killed_child_is_started_again_while_the_other_keeps_serving(
    supervisor: subprocess.Popen[str], ports: Dict[str, int]
) -> None:
    first, second = pid_at(ports["first"]), pid_at(ports["second"])
    assert first is not None and second is not None
    os.kill(first, signal.SIGKILL)
    answers_meanwhile = []
    deadline = time.monotonic() + 15
    replacement = None
    while time.monotonic() < deadline:
        answers_meanwhile.append(pid_at(ports["second"]))
        replacement = pid_at(ports["first"])
        if replacement is not None and replacement != first:
            break
        time.sleep(0.1)
    assert replacement is not None and replacement != first
    assert set(answers_meanwhile) == {second}
    supervisor.send_signal(signal.SIGINT)
    _, logged = supervisor.communicate(timeout=30)
    assert "first stopped (killed by SIGKILL)" in logged
    assert "first started again (restart 1)" in logged
    assert "second stopped" not in logged


def test_ctrl_c_stops_the_supervisor_and_every_child(supervisor: subprocess.Popen[str], ports: Dict[str, int]) -> None:
    children = [pid_at(port) for port in ports.values()]
    assert all(children)
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=30) == 0
    assert [pid_at(port) for port in ports.values()] == [None, None]
    assert not any(is_alive(pid) for pid in children if pid)
