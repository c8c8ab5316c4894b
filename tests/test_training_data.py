"""The training data, domain and config agree with each other (Rasa's own validator)."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import List

from bot.shared.settings import PROJECT_ROOT

UNUSED_RESPONSE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
INTENT_WITHOUT_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found")
# Intents that never come from typed text: the bot service triggers them, or a button sends them, or the NLU's
# language detector sets them (bot/rasa_server/nlu/language_detector.py).
INTENTS_WITHOUT_TEXT = {"leave_message", "unsupported_language"}
# Rasa sends `utter_ask_<slot>` when a form asks for a slot, and `utter_default` from its default fallback.
RESPONSES_RASA_SENDS = re.compile(r"^utter_ask_\w+$|^utter_default$")


def validator_warnings() -> List[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-6000:]
    output = completed.stdout + completed.stderr
    return [line for line in output.splitlines() if "UserWarning" in line]


def action_sources() -> str:
    return "\n".join(path.read_text() for path in (PROJECT_ROOT / "actions").rglob("*.py"))


def test_rasa_data_validate_raises_only_warnings_the_design_explains() -> None:
    sources = action_sources()
    unexplained = []
    for warning in validator_warnings():
        unused = UNUSED_RESPONSE.search(warning)
        if unused:
            # Responses the custom actions send are not visible to the validator; they must exist in code.
            name = unused.group(1)
            if not RESPONSES_RASA_SENDS.match(name) and f'"{name}"' not in sources:
                unexplained.append(warning)
            continue
        intent = INTENT_WITHOUT_EXAMPLES.search(warning)
        if intent and (intent.group(1).startswith("EXTERNAL_") or intent.group(1) in INTENTS_WITHOUT_TEXT):
            continue
        unexplained.append(warning)
    assert not unexplained, "\n".join(unexplained)
