"""Runs the conversation tests in this folder with `rasa test core` against the trained model.

`rasa test core` replays each story's events and checks every action the policies predict; the custom
actions themselves are tested against a real store in tests/actions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.shared.settings import PROJECT_ROOT
from tests.support.stack import MODEL

CONVERSATIONS = Path(__file__).parent


def test_every_conversation_runs_as_written(tmp_path: Path) -> None:
    results = tmp_path / "results"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            str(CONVERSATIONS),
            "--out",
            str(results),
            "--fail-on-prediction-errors",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    failed = results / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else completed.stdout[-4000:] + completed.stderr[-4000:]
    assert completed.returncode == 0, f"conversation tests failed:\n{details}"
    assert "None of the test stories failed" in failed.read_text()
