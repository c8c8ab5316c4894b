"""`python -m bot privacy export|erase --phone ...` from the command line, on a real SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

REPOSITORY = Path(__file__).resolve().parents[4]


def _privacy(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
        "RASA_ENDPOINTS": str(tmp_path / "no-endpoints.yml"),
    }
    command: List[str] = [sys.executable, "-m", "bot", "privacy", *arguments]
    return subprocess.run(command, cwd=REPOSITORY, env=environment, capture_output=True, text=True, timeout=120)


def test_export_and_erase_by_phone_normalise_the_number(tmp_path: Path) -> None:
    exported = _privacy(tmp_path, "export", "--phone", "0171 5550123", "--region", "DE")
    assert exported.returncode == 0, exported.stderr
    found = json.loads(exported.stdout)
    assert found["phone"] == "+491715550123" and found["conversation_ids"] == []

    erased = _privacy(tmp_path, "erase", "--phone", "+49 171 5550123")
    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.startswith("erased 0 conversations")


def test_a_wrong_number_is_refused_in_words(tmp_path: Path) -> None:
    refused = _privacy(tmp_path, "erase", "--phone", "0171 5550123")  # national, and no --region

    assert refused.returncode == 2
    assert refused.stderr.startswith("privacy: not a phone number") and "Traceback" not in refused.stderr
