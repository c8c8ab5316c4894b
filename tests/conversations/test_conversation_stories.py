"""Runs the conversation tests in this folder with `rasa test` against the real action server and demo store."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from tests.support.stack import MODEL, Stack

CONVERSATIONS = Path(__file__).parent


def write_endpoints(stack: Stack, folder: Path) -> Path:
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: {stack.action_server_url}/webhook\n")
    return endpoints


def test_every_conversation_runs_as_written(running_stack: Stack, tmp_path: Path) -> None:
    results = tmp_path / "results"
    completed = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core",
         "--model", str(MODEL),
         "--stories", str(CONVERSATIONS),
         "--endpoints", str(write_endpoints(running_stack, tmp_path)),
         "--out", str(results),
         "--fail-on-prediction-errors"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1200,
    )
    failed = results / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else completed.stdout[-4000:] + completed.stderr[-4000:]
    assert completed.returncode == 0, f"conversation tests failed:\n{details}"
    assert "# None of the test stories failed" in failed.read_text()
