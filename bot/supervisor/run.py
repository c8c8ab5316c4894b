"""`python -m bot run`: start the Rasa server, the action server and the bot service, keep them running, stop them together.

A process that dies after the start is logged with its exit status and started again, after 1 s and then
doubling delays up to 30 s while it keeps dying (bot/supervisor/restart_backoff.py); the other two keep serving.
Ctrl-C (or SIGTERM) stops all three.

With DEPLOYMENT=scaled (`make run-scaled`) it first checks that Redis, RabbitMQ and PostgreSQL answer,
then starts two Rasa servers and two bot services on loopback ports and nginx on the public ports in front
of them (bot/supervisor/scaled.py), each supervised the same way.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.shared.local_secrets import with_local_secrets
from bot.shared.settings import PROJECT_ROOT, Settings
from bot.shared.startup_checks import GENERATED_SECRETS_DIR, refuse_unsafe_start
from bot.supervisor import scaled
from bot.supervisor.children import SupervisedChildren, stop_processes
from bot.supervisor.restart_backoff import RestartBackoff

READY_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class ProcessSpec:
    """One child process and the URL that answers once it is ready."""

    name: str
    command: Sequence[str]
    ready_url: str
    ready_headers: Mapping[str, str] = field(default_factory=dict)
    # started once the others answer: a second bot service would race the first to create the tables
    waits_for_others: bool = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models"), help="model file or folder")
    parser.add_argument(
        "--endpoints",
        default=None,
        help="Rasa endpoints file (tracker store, event broker, action server); default: RASA_ENDPOINTS, else "
        "endpoints.yml (endpoints.scaled.yml with DEPLOYMENT=scaled)",
    )


def child_environment(settings: Settings, base: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ if base is None else base)
    for key, value in settings.rasa_environment().items():
        env.setdefault(key, value)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    return env


def process_specs(settings: Settings, model: str, endpoints: str, credentials: Path) -> List[ProcessSpec]:
    return [
        _action_server(settings),
        _bot_service(settings.service_port, "bot service"),
        _rasa_server(settings, model, endpoints, credentials, settings.bind_host, settings.rasa_port, "Rasa server"),
    ]


def scaled_process_specs(settings: Settings, model: str, endpoints: str, credentials: Path) -> List[ProcessSpec]:
    """The action server, every instance on its loopback port, and nginx on the public ports."""
    numbered = len(settings.rasa_instance_ports) > 1 or len(settings.service_instance_ports) > 1
    specs = [_action_server(settings)]
    for number, port in enumerate(settings.service_instance_ports, start=1):
        service = _bot_service(port, f"bot service {number}" if numbered else "bot service", "127.0.0.1")
        specs.append(replace(service, waits_for_others=number > 1))
    for number, port in enumerate(settings.rasa_instance_ports, start=1):
        name = f"Rasa server {number}" if numbered else "Rasa server"
        specs.append(_rasa_server(settings, model, endpoints, credentials, "127.0.0.1", port, name))
    specs.append(
        ProcessSpec(
            name="edge proxy",
            # its own process (the import contract keeps the supervisor and the edge apart); it reads the
            # same settings and the forwarded secret from the environment
            command=[sys.executable, "-m", "bot.edge.proxy"],
            ready_url=f"http://127.0.0.1:{settings.service_port}/health",
            waits_for_others=True,
        )
    )
    return specs


def _action_server(settings: Settings) -> ProcessSpec:
    return ProcessSpec(
        name="action server",
        command=[sys.executable, "-m", "bot.action_server.launch", "--actions", "actions"],
        ready_url=f"http://127.0.0.1:{settings.action_port}/health",
    )


def _bot_service(port: int, name: str, host: Optional[str] = None) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        command=[sys.executable, "-m", "bot", "serve", "--port", str(port), *(["--host", host] if host else [])],
        ready_url=f"http://127.0.0.1:{port}/health",
    )


def _rasa_server(
    settings: Settings, model: str, endpoints: str, credentials: Path, host: str, port: int, name: str
) -> ProcessSpec:
    # Tokens reach the children through the environment, never their command lines (visible to `ps`).
    rasa_auth = {"Authorization": f"Bearer {settings.rasa_api_token}"} if settings.rasa_api_token else {}
    return ProcessSpec(
        name=name,
        command=[
            sys.executable,
            "-m",
            "bot.rasa_server.launch",
            "run",
            "--enable-api",
            # `*` is never passed on: production refuses it, and elsewhere it is ignored.
            "--cors",
            *[origin for origin in settings.allowed_origins if origin != "*"],
            "--interface",
            host,
            "--port",
            str(port),
            "--model",
            model,
            "--endpoints",
            endpoints,
            "--credentials",
            str(credentials),
        ],
        ready_url=f"http://127.0.0.1:{port}/status",
        ready_headers=rasa_auth,
    )


def is_ready(url: str, headers: Optional[Mapping[str, str]] = None) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=dict(headers or {})), timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(
    specs: Sequence[ProcessSpec],
    children: Mapping[str, subprocess.Popen[bytes]],
    timeout: float = READY_TIMEOUT_SECONDS,
) -> bool:
    deadline = time.monotonic() + timeout
    pending = list(specs)
    while pending and time.monotonic() < deadline:
        for spec in list(pending):
            if children[spec.name].poll() is not None:
                print(f"{spec.name} stopped while starting (exit code {children[spec.name].returncode})")
                return False
            if is_ready(spec.ready_url, spec.ready_headers):
                pending.remove(spec)
        time.sleep(0.5)
    return not pending


def stop_all(children: Mapping[str, subprocess.Popen[bytes]]) -> None:
    stop_processes(children.values())


def welcome_text(settings: Settings, demo_login: Optional[Tuple[str, str]]) -> str:
    service = f"http://127.0.0.1:{settings.service_port}"
    agent = f"  (demo agent: {demo_login[0]} / {demo_login[1]})" if demo_login else ""
    lines = [
        "",
        "The assistant is running.",
        f"  Chat with it (demo shop):   {service}/",
        f"  Agent console:              {service}/console{agent}",
    ]
    if settings.rest_channel_token:
        lines += [
            f"  Rasa REST channel:          http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook",
            f"                              header 'Authorization: Bearer {settings.rest_channel_token}'",
        ]
    if not settings.production:
        lines.append(f"  Secrets for this machine:   {GENERATED_SECRETS_DIR} (unset variables only)")
    lines += ["Press Ctrl-C to stop everything.", ""]
    return "\n".join(lines)


def environment_with_local_defaults(environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The environment the three processes share; only what the operator left unset gets a local default.

    In production mode nothing is generated: every secret must be configured.
    """
    env = dict(os.environ if environ is None else environ)
    settings = Settings.from_env(env)
    if settings.scaled:
        env = scaled.with_scaled_defaults(env)
    if settings.production:
        return env
    return with_local_secrets(env, demo_mode=settings.demo_mode)


def prepare(settings: Settings) -> Tuple[Path, Optional[Tuple[str, str]]]:
    """Create what the processes expect to find: the var folder, credentials and, in demo mode, a demo agent."""
    (PROJECT_ROOT / "var").mkdir(exist_ok=True)
    credentials = PROJECT_ROOT / "var" / "credentials.yml"
    from bot.rasa_server.channels.credentials import write_credentials
    from bot.service.handoff.demo_agent import demo_agent_present, ensure_demo_agent

    refuse_unsafe_start(settings, "assistant", demo_agent_present=settings.production and demo_agent_present(settings))
    write_credentials(settings, credentials)
    login = ensure_demo_agent(settings)
    return credentials, (login.username, login.password) if login else None


def supervise(
    children: SupervisedChildren[ProcessSpec], stop_requested: Callable[[], bool], pause: float = 0.5
) -> None:
    """Restart whatever dies until a stop is requested."""
    while not stop_requested():
        children.tend()
        time.sleep(pause)


def run_children(
    specs: Sequence[ProcessSpec],
    launch: Callable[[ProcessSpec], subprocess.Popen[bytes]],
    on_ready: Callable[[], None],
    backoff: Callable[[], RestartBackoff] = RestartBackoff,
) -> int:
    """Start the children, wait until each answers, then keep them running until SIGINT or SIGTERM stops all."""
    children = SupervisedChildren(specs, launch, backoff)
    stop_requested: List[int] = []

    def request_stop(signum: int, _frame: Optional[object]) -> None:
        stop_requested.append(signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        for wave in ([s for s in specs if not s.waits_for_others], [s for s in specs if s.waits_for_others]):
            children.start_all(wave)
            # At the start a process that stops is a configuration problem; restarting it would only repeat it.
            if not wait_until_ready(wave, children.processes):
                print("The assistant could not start; stopping.", file=sys.stderr)
                return 1
        on_ready()
        supervise(children, lambda: bool(stop_requested))
        return 0
    finally:
        children.stop_all()


def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    base_env = environment_with_local_defaults()
    settings = Settings.from_env(base_env)
    if settings.scaled:
        problems = scaled.unreachable_services(settings)
        if problems:
            print("The scaled deployment needs Redis, RabbitMQ and PostgreSQL:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
        if settings.demo_mode:
            from bot.demo.command import run_demo

            run_demo(settings.database_url, False, None, sys.stdout)
    credentials, demo_login = prepare(settings)
    env = child_environment(settings, base_env)
    endpoints = args.endpoints or base_env.get("RASA_ENDPOINTS", str(PROJECT_ROOT / "endpoints.yml"))
    if settings.scaled:
        specs = scaled_process_specs(settings, args.model, endpoints, credentials)
    else:
        specs = process_specs(settings, args.model, endpoints, credentials)
    return run_children(
        specs,
        lambda spec: subprocess.Popen(spec.command, cwd=PROJECT_ROOT, env=env),
        lambda: print(welcome_text(settings, demo_login), flush=True),
    )
