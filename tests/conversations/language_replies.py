"""What a reply in a given language looks like: the domain's variation for it, placeholders filled by anything."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Pattern

import yaml

from bot.shared.settings import PROJECT_ROOT


def domain_responses() -> Dict[str, List[Dict[str, Any]]]:
    responses: Dict[str, List[Dict[str, Any]]] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    return responses


def variation_text(response: str, language: str) -> str:
    """The text of the response's variation for `language`; English is the one without a condition."""
    for variation in domain_responses()[response]:
        conditions = variation.get("condition") or []
        values = {condition["value"] for condition in conditions if condition.get("name") == "language"}
        if (language == "en" and not conditions) or language in values:
            return str(variation["text"])
    raise KeyError(f"{response} has no {language} variation")


def reply_pattern(response: str, language: str) -> Pattern[str]:
    parts = re.split(r"\{\w+\}", variation_text(response, language))
    return re.compile(".+?".join(re.escape(part) for part in parts) + r"\Z", re.DOTALL)


def is_reply(text: str, response: str, language: str) -> bool:
    return reply_pattern(response, language).match(text) is not None
