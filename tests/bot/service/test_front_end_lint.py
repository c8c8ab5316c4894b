"""ESLint on the bot service's browser scripts (the web chat widget and the agent console) with their config."""

from __future__ import annotations

import subprocess
from typing import List

import pytest

from bot.shared.settings import PROJECT_ROOT

ESLINT = PROJECT_ROOT / "node_modules" / ".bin" / "eslint"
CONFIG = "bot/service/eslint.config.mjs"
SCRIPT_FOLDERS = ["bot/service/webchat/static", "bot/service/console_files"]

pytestmark = pytest.mark.skipif(
    not ESLINT.exists(), reason="ESLint is not installed: node_modules/.bin/eslint is absent (run `npm ci`)"
)


def _eslint(arguments: List[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ESLINT), "-c", CONFIG, *arguments],
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_widget_and_the_console_are_lint_clean() -> None:
    result = _eslint(SCRIPT_FOLDERS)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("filename", "code", "rule"),
    [
        (
            "bot/service/webchat/static/probe.js",
            '(() => {\n  "use strict";\n  var x = 1;\n  x += 1;\n})();\n',
            "no-var",
        ),
        ("bot/service/webchat/static/probe.js", "const leaked = 1;\nleaked.toString();\n", "no-implicit-globals"),
        ("bot/service/webchat/static/probe.js", "(() => {\n  document.title = 'x';\n})();\n", "strict"),
        ("bot/service/console_files/assets/probe.js", "let once = 1;\nif (once == '1') once.toString();\n", "eqeqeq"),
        ("bot/service/console_files/assets/probe.js", "let once = 1;\nonce.toString();\n", "prefer-const"),
        (
            "bot/service/console_files/assets/probe.js",
            "document.body.innerHTML = location.hash;\n",
            "no-restricted-properties",
        ),
    ],
)
def test_the_config_refuses_the_old_dialect_and_html_from_strings(filename: str, code: str, rule: str) -> None:
    result = _eslint(["--stdin", "--stdin-filename", filename, "--format", "json"], stdin=code)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f'"ruleId":"{rule}"' in result.stdout
