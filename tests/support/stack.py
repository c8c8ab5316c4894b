"""The whole assistant (Rasa server, action server, bot service) started on free ports for end-to-end tests."""

from __future__ import annotations

import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

from bot.shared.settings import PROJECT_ROOT, Settings
from bot.supervisor.run import child_environment, process_specs, stop_all, wait_until_ready

MODEL = PROJECT_ROOT / "models" / "shop.tar.gz"
TEST_JWT_SECRET = "test-shopper-token-secret"
TEST_HANDOFF_SECRET = "test-handoff-secret"
TEST_RASA_API_TOKEN = "test-rasa-api-token-0123456789abcdef"
TEST_ACTION_SERVER_TOKEN = "test-action-server-token-0123456789"
TEST_REST_CHANNEL_TOKEN = "test-rest-channel-token-0123456789"
TEST_WEBCHAT_SESSION_SECRET = "test-webchat-session-secret-0123456789"


@dataclass(frozen=True)
class Stack:
    """Where the running assistant answers, and the files its state lives in."""

    rasa_url: str
    action_server_url: str
    service_url: str
    database_url: str
    tracker_db: Path
    events_db: Path
    workdir: Path
    settings: Settings
    environment: Dict[str, str]
    # A port for a second bot service in front of this assistant (the demo sign-in tests); the Rasa
    # server accepts web chat connections from it, as it would from a shop's second site.
    spare_service_port: int

    @property
    def rasa_api_headers(self) -> Dict[str, str]:
        """What the bot service sends to Rasa's HTTP API; tests reading trackers send it too."""
        return {"Authorization": f"Bearer {self.settings.rasa_api_token}"}

    @property
    def rest_headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.rest_channel_token}"}

    def tracker_url(self, conversation_id: str) -> str:
        return f"{self.rasa_url}/conversations/{conversation_id}/tracker"

    def secrets_environment(self) -> Dict[str, str]:
        """What another process in front of this assistant (a second bot service) must share with it."""
        names = ("RASA_API_TOKEN", "HANDOFF_SECRET", "WEBCHAT_SESSION_SECRET", "WEBCHAT_JWT_SECRET", "ALLOWED_ORIGINS")
        return {name: self.environment[name] for name in names}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_environment(workdir: Path, spare_service_port: int) -> Dict[str, str]:
    rasa_port, action_port, service_port = free_port(), free_port(), free_port()
    return {
        "ALLOWED_ORIGINS": f"http://127.0.0.1:{service_port},http://127.0.0.1:{spare_service_port}",
        "DATABASE_URL": f"sqlite:///{workdir / 'shop.db'}",
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "SERVICE_PORT": str(service_port),
        "TRACKER_DB": str(workdir / "rasa.db"),
        "EVENTS_DB": str(workdir / "events.db"),
        "WEBCHAT_JWT_SECRET": TEST_JWT_SECRET,
        "HANDOFF_SECRET": TEST_HANDOFF_SECRET,
        "RASA_API_TOKEN": TEST_RASA_API_TOKEN,
        "ACTION_SERVER_TOKEN": TEST_ACTION_SERVER_TOKEN,
        "REST_CHANNEL_TOKEN": TEST_REST_CHANNEL_TOKEN,
        "WEBCHAT_SESSION_SECRET": TEST_WEBCHAT_SESSION_SECRET,
        # Handoffs in tests must reach an agent whatever the hour.
        "BUSINESS_HOURS": "Mon-Sun 00:00-24:00",
    }


def build_demo_database(database_url: str) -> None:
    from sqlalchemy import create_engine

    from bot.demo.seed import build_demo_store

    engine = create_engine(database_url)
    try:
        build_demo_store(engine)
    finally:
        engine.dispose()


def start_stack(workdir: Path, extra_env: Dict[str, str] | None = None) -> RunningStack:
    import os

    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: train the model first (`make train`)")
    spare_service_port = free_port()
    env_overrides = stack_environment(workdir, spare_service_port)
    env_overrides.update(extra_env or {})
    base_env = dict(os.environ)
    base_env.update(env_overrides)
    settings = Settings.from_env(base_env)
    build_demo_database(settings.database_url)

    credentials = workdir / "credentials.yml"
    from bot.rasa_server.channels.credentials import write_credentials

    write_credentials(settings, credentials)
    env = child_environment(settings, base_env)
    specs = process_specs(settings, str(MODEL), str(PROJECT_ROOT / "endpoints.yml"), credentials)
    children: Dict[str, subprocess.Popen] = {}
    logs: List[Path] = []
    for spec in specs:
        log_path = workdir / f"{spec.name.replace(' ', '-')}.log"
        logs.append(log_path)
        children[spec.name] = subprocess.Popen(
            spec.command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )
    running = RunningStack(
        Stack(
            rasa_url=settings.rasa_url,
            action_server_url=f"http://127.0.0.1:{settings.action_port}",
            service_url=settings.service_url,
            database_url=settings.database_url,
            tracker_db=Path(settings.tracker_db),
            events_db=Path(settings.events_db),
            workdir=workdir,
            settings=settings,
            environment=env_overrides,
            spare_service_port=spare_service_port,
        ),
        children,
        logs,
    )
    if not wait_until_ready(specs, children, timeout=240):
        running.stop()
        raise RuntimeError("the assistant did not start:\n" + running.log_tails())
    return running


class RunningStack:
    """A started stack and how to stop it."""

    def __init__(self, stack: Stack, children: Dict[str, subprocess.Popen], logs: List[Path]) -> None:
        self.stack = stack
        self.children = children
        self.logs = logs

    def log_tails(self, lines: int = 40) -> str:
        parts = []
        for log in self.logs:
            if log.exists():
                tail = log.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {log.name}\n" + "\n".join(tail))
        return "\n".join(parts)

    def stop(self) -> None:
        stop_all(self.children)
