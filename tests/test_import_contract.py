"""The import contract in pyproject.toml holds: bot/ never imports actions/, and bot/'s folders import one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from bot.shared.settings import PROJECT_ROOT


def test_the_import_linter_contracts_are_kept() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    finished = subprocess.run(
        [str(linter), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-2000:]
    assert "0 broken" in finished.stdout


def test_no_module_in_bot_names_actions_even_lazily() -> None:
    offenders = []
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [
                f"{path.relative_to(PROJECT_ROOT)}: {name}" for name in names if name.split(".")[0] == "actions"
            ]
    assert offenders == []
