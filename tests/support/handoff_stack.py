"""Rasa server, action server and bot service on private ports, with a dialogue-only model, for handoff tests.

Customers' messages are sent as intent payloads (`/human_handoff`), so no NLU model is needed; the
dialogue model is trained once from the project's domain and rules and cached under tests/artifacts.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import requests
import yaml

from bot.shared.settings import PROJECT_ROOT
from tests.support.stack import free_port

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "handoff"
HANDOFF_SECRET = "handoff-stack-secret"
RASA_API_TOKEN = "handoff-stack-rasa-api-token-0123456789"
ACTION_SERVER_TOKEN = "handoff-stack-action-server-token-0123"
REST_CHANNEL_TOKEN = "handoff-stack-rest-channel-token-01234"


def _training_inputs() -> List[Path]:
    return sorted(
        [
            PROJECT_ROOT / "domain.yml",
            PROJECT_ROOT / "config.yml",
            *(PROJECT_ROOT / "data").rglob("*.yml"),
            *(PROJECT_ROOT / "bot" / "policies").glob("*.py"),
        ]
    )


def dialogue_model() -> Path:
    digest = hashlib.sha256()
    for path in _training_inputs():
        digest.update(path.read_bytes())
    model = ARTIFACTS / f"dialogue-{digest.hexdigest()[:16]}.tar.gz"
    if model.exists():
        return model
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    names = [policy.get("name") for policy in config.get("policies", [])]
    if "bot.rasa_server.policies.escalation_policy.EscalationPolicy" not in names:
        config.setdefault("policies", []).append(
            {"name": "bot.rasa_server.policies.escalation_policy.EscalationPolicy"}
        )
    config_path = ARTIFACTS / "dialogue-config.yml"
    config_path.write_text(yaml.safe_dump(config))
    subprocess.run(
        [
            "nice",
            "-n",
            "10",
            sys.executable,
            "-m",
            "rasa",
            "train",
            "core",
            "--config",
            str(config_path),
            "--domain",
            str(PROJECT_ROOT / "domain.yml"),
            "--stories",
            str(PROJECT_ROOT / "data"),
            "--out",
            str(ARTIFACTS),
            "--fixed-model-name",
            model.name[: -len(".tar.gz")],
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    return model


@dataclass(frozen=True)
class HandoffStack:
    rasa_url: str
    service_url: str
    database_url: str
    workdir: Path
    rasa_api_headers: Dict[str, str]
    rest_headers: Dict[str, str]


class RunningHandoffStack:
    def __init__(self, workdir: Path) -> None:
        rasa_port, action_port, service_port = free_port(), free_port(), free_port()
        self.stack = HandoffStack(
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            service_url=f"http://127.0.0.1:{service_port}",
            database_url=f"sqlite:///{workdir / 'shop.db'}",
            workdir=workdir,
            rasa_api_headers={"Authorization": f"Bearer {RASA_API_TOKEN}"},
            rest_headers={"Authorization": f"Bearer {REST_CHANNEL_TOKEN}"},
        )
        self.env: Dict[str, str] = {
            "DATABASE_URL": self.stack.database_url,
            "TRACKER_DB": str(workdir / "rasa.db"),
            "EVENTS_DB": str(workdir / "events.db"),
            "RASA_PORT": str(rasa_port),
            "ACTION_PORT": str(action_port),
            "SERVICE_PORT": str(service_port),
            "RASA_URL": self.stack.rasa_url,
            "SERVICE_URL": self.stack.service_url,
            "HANDOFF_SECRET": HANDOFF_SECRET,
            "RASA_API_TOKEN": RASA_API_TOKEN,
            "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
            "BUSINESS_HOURS": "Mon-Sun 00:00-24:00",
        }
        (workdir / "credentials.yml").write_text(
            f"bot.rasa_server.channels.rest_token.TokenRestInput:\n  token: {REST_CHANNEL_TOKEN}\n"
        )
        # literal values: Rasa substitutes ${VARIABLES} only in unquoted YAML scalars
        (workdir / "endpoints.yml").write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
            f"  headers:\n    Authorization: Bearer {ACTION_SERVER_TOKEN}\n  enable_selective_domain: true\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'rasa.db'}\n"
            f"event_broker:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'events.db'}\n"
        )
        self._commands = {
            "actions": [sys.executable, "-m", "bot.action_server.launch"],
            "service": [sys.executable, "-m", "bot", "serve"],
            "rasa": [
                sys.executable,
                "-m",
                "bot.rasa_server.launch",
                "run",
                "--enable-api",
                "-m",
                str(dialogue_model()),
                "--endpoints",
                str(workdir / "endpoints.yml"),
                "--credentials",
                str(workdir / "credentials.yml"),
                "-p",
                str(rasa_port),
            ],
        }
        self._health = {
            "actions": f"http://127.0.0.1:{action_port}/health",
            "service": f"{self.stack.service_url}/health",
            "rasa": f"{self.stack.rasa_url}/",
        }
        self._children: Dict[str, subprocess.Popen] = {}

    def start(self) -> RunningHandoffStack:
        import os

        env = {**os.environ, **self.env}
        for name, command in self._commands.items():
            log = (self.stack.workdir / f"{name}.log").open("wb")
            self._children[name] = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 300
        for name, url in self._health.items():
            while not self._answers(url):
                if self._children[name].poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = (self.stack.workdir / f"{name}.log").read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"{name} did not start:\n{log}")
                time.sleep(0.5)
        return self

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        for child in self._children.values():
            child.terminate()
        for child in self._children.values():
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
