"""`python -m bot run`: start the Rasa server, the action server and the bot service, stop them together."""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from bot.config import PROJECT_ROOT, Settings

READY_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class ProcessSpec:
    """One child process and the URL that answers once it is ready."""

    name: str
    command: Sequence[str]
    ready_url: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models"), help="model file or folder")
    parser.add_argument(
        "--endpoints",
        default=os.environ.get("RASA_ENDPOINTS", str(PROJECT_ROOT / "endpoints.yml")),
        help="Rasa endpoints file (tracker store, event broker, action server)",
    )


def child_environment(settings: Settings, base: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ if base is None else base)
    for key, value in settings.rasa_environment().items():
        env.setdefault(key, value)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    return env


def process_specs(settings: Settings, model: str, endpoints: str, credentials: Path) -> List[ProcessSpec]:
    host = settings.bind_host
    return [
        ProcessSpec(
            name="action server",
            command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                     "--port", str(settings.action_port)],
            ready_url=f"http://127.0.0.1:{settings.action_port}/health",
        ),
        ProcessSpec(
            name="bot service",
            command=[sys.executable, "-m", "bot", "serve"],
            ready_url=f"http://127.0.0.1:{settings.service_port}/health",
        ),
        ProcessSpec(
            name="Rasa server",
            command=[sys.executable, "-m", "bot.serving.rasa_server", "run", "--enable-api", "--cors", "*",
                     "--interface", host, "--port", str(settings.rasa_port),
                     "--model", model, "--endpoints", endpoints,
                     "--credentials", str(credentials)],
            ready_url=f"http://127.0.0.1:{settings.rasa_port}/status",
        ),
    ]


def is_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(
    specs: Sequence[ProcessSpec],
    children: Dict[str, subprocess.Popen],
    timeout: float = READY_TIMEOUT_SECONDS,
) -> bool:
    deadline = time.monotonic() + timeout
    pending = list(specs)
    while pending and time.monotonic() < deadline:
        for spec in list(pending):
            if children[spec.name].poll() is not None:
                print(f"{spec.name} stopped while starting (exit code {children[spec.name].returncode})")
                return False
            if is_ready(spec.ready_url):
                pending.remove(spec)
        time.sleep(0.5)
    return not pending


def stop_all(children: Dict[str, subprocess.Popen]) -> None:
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in children.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def print_welcome(settings: Settings) -> None:
    service = f"http://127.0.0.1:{settings.service_port}"
    print(
        "\nThe assistant is running.\n"
        f"  Chat with it (demo shop):   {service}/\n"
        f"  Agent console:              {service}/console  (demo agent: demo / demo-password)\n"
        f"  Rasa REST channel:          http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook\n"
        f"  Action server:              http://127.0.0.1:{settings.action_port}/health\n"
        "Press Ctrl-C to stop everything.\n",
        flush=True,
    )


def local_webchat_secret() -> str:
    """A signing secret for shopper tokens kept under var/, so `make run` works without configuration."""
    path = PROJECT_ROOT / "var" / "webchat-jwt.secret"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def environment_with_local_defaults() -> Dict[str, str]:
    """The environment the three processes share; only what the operator left unset gets a local default."""
    env = dict(os.environ)
    if not env.get("WEBCHAT_JWT_SECRET"):
        env["WEBCHAT_JWT_SECRET"] = local_webchat_secret()
    return env


def prepare(settings: Settings) -> Path:
    """Create what the processes expect to find: the var folder, credentials and a demo agent."""
    (PROJECT_ROOT / "var").mkdir(exist_ok=True)
    credentials = PROJECT_ROOT / "var" / "credentials.yml"
    from bot.channels.credentials import write_credentials
    from bot.handoff.demo_agent import ensure_demo_agent

    write_credentials(settings, credentials)
    ensure_demo_agent(settings)
    return credentials


def main(args: argparse.Namespace) -> int:
    base_env = environment_with_local_defaults()
    settings = Settings.from_env(base_env)
    credentials = prepare(settings)
    env = child_environment(settings, base_env)
    specs = process_specs(settings, args.model, args.endpoints, credentials)
    children: Dict[str, subprocess.Popen] = {}
    stop_requested: List[int] = []

    def request_stop(signum: int, _frame: Optional[object]) -> None:
        stop_requested.append(signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        for spec in specs:
            children[spec.name] = subprocess.Popen(spec.command, cwd=PROJECT_ROOT, env=env)
        if not wait_until_ready(specs, children):
            print("The assistant could not start; stopping.", file=sys.stderr)
            return 1
        print_welcome(settings)
        while not stop_requested:
            stopped = [name for name, process in children.items() if process.poll() is not None]
            if stopped:
                print(f"{', '.join(stopped)} stopped; stopping the rest.", file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        stop_all(children)
