"""Stores each part's latest result as JSON under benchmarks/results/ so the page can be rebuilt from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional

PartResult = Dict[str, Any]


def result_path(results_dir: Path, part: str) -> Path:
    return results_dir / f"{part}.json"


def save_result(results_dir: Path, part: str, result: PartResult) -> Path:
    """Writes atomically, so an interrupted run never leaves a half-written result."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = result_path(results_dir, part)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    temporary.replace(path)
    return path


def load_result(results_dir: Path, part: str) -> Optional[PartResult]:
    path = result_path(results_dir, part)
    if not path.exists():
        return None
    return json.loads(path.read_text())
