"""Production mode refuses to start with a missing, published, generated or demo secret, or the demo agent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.shared.local_secrets import local_secret
from bot.shared.settings import PROJECT_ROOT

STRONG = {
    "HANDOFF_SECRET": "h" * 40,
    "RASA_API_TOKEN": "r" * 40,
    "ACTION_SERVER_TOKEN": "a" * 40,
    "WEBCHAT_SESSION_SECRET": "w" * 40,
}
SECRET_NAMES = list(STRONG)


def _run(command: List[str], tmp_path: Path, extra: Dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in SECRET_NAMES}
    env.update(
        {
            "ASSISTANT_ENV": "production",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
            "PYTHONPATH": str(PROJECT_ROOT),
            "SERVICE_PORT": "1",  # never reached: the check comes first
            **extra,
        }
    )
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=240)


PROCESSES = {
    "supervisor": [sys.executable, "-m", "bot", "run"],
    "bot service": [sys.executable, "-m", "bot", "serve"],
    "action server": [sys.executable, "-m", "bot.action_server.launch"],
    "Rasa server": [sys.executable, "-m", "bot.rasa_server.launch", "run", "--enable-api"],
}


@pytest.mark.parametrize("process", PROCESSES)
def test_every_process_refuses_to_start_without_its_secrets(tmp_path: Path, process: str) -> None:
    finished = _run(PROCESSES[process], tmp_path, {})
    assert finished.returncode == 2, finished.stderr[-2000:]
    for name in SECRET_NAMES:
        assert f"{name} is not set" in finished.stderr


@pytest.mark.parametrize(
    "override, problem",
    [
        ({"HANDOFF_SECRET": "local-handoff-secret"}, "HANDOFF_SECRET is a published default"),
        ({"RASA_API_TOKEN": "short"}, "RASA_API_TOKEN is shorter than"),
        ({"WEBCHAT_DEMO_SIGNIN": "1"}, "WEBCHAT_DEMO_SIGNIN is on"),
        ({"DEMO_MODE": "1"}, "DEMO_MODE is on"),
        ({"ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS must name"),
    ],
)
def test_a_weak_or_demo_setting_stops_the_bot_service(tmp_path: Path, override: Dict[str, str], problem: str) -> None:
    finished = _run(PROCESSES["bot service"], tmp_path, {**STRONG, **override})
    assert finished.returncode == 2
    assert problem in finished.stderr


def test_a_secret_generated_for_development_is_refused(tmp_path: Path) -> None:
    # The same secret `make run` generates on this checkout (made now if it has never run).
    generated = local_secret("handoff")
    finished = _run(PROCESSES["action server"], tmp_path, {**STRONG, "HANDOFF_SECRET": generated})
    assert finished.returncode == 2
    assert "HANDOFF_SECRET is the one `python -m bot run` generated" in finished.stderr


def test_the_demo_agent_stops_a_production_start(tmp_path: Path) -> None:
    engine = create_handoff_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    try:
        create_handoff_tables(engine)
        AgentRepository(engine).create("demo", "Demo Agent", "demo-password")
    finally:
        engine.dispose()
    finished = _run(PROCESSES["bot service"], tmp_path, STRONG)
    assert finished.returncode == 2
    assert "the demo agent" in finished.stderr


def test_the_action_server_never_runs_open_outside_production(tmp_path: Path) -> None:
    finished = _run(PROCESSES["action server"], tmp_path, {"ASSISTANT_ENV": "development"})
    assert finished.returncode == 2
    assert "ACTION_SERVER_TOKEN is not set" in finished.stderr
