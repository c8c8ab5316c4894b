"""Buttons as numbered choices in a mail, and a customer's answer ("2", or the words) read back as the choice."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

_NUMBER = re.compile(r"^\s*\(?([0-9]{1,2})[.)]?\s*$")


def choices_of(buttons: Sequence[Any]) -> List[Dict[str, str]]:
    """The buttons worth showing: a title, and the payload Rasa should read when it is chosen."""
    found = []
    for button in buttons:
        if not isinstance(button, dict):
            continue
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if title:
            found.append({"title": title, "payload": payload})
    return found


def choices_as_text(choices: Sequence[Dict[str, str]]) -> str:
    lines = [f"{number}. {choice['title']}" for number, choice in enumerate(choices, start=1)]
    return "Reply with the number or the words of your choice:\n" + "\n".join(lines)


def chosen(text: str, choices: Sequence[Dict[str, str]]) -> Optional[str]:
    """The payload of the choice `text` names by number or by its whole title; None for anything else."""
    if not choices:
        return None
    number = _NUMBER.match(text)
    if number:
        index = int(number.group(1)) - 1
        return choices[index]["payload"] if 0 <= index < len(choices) else None
    words = " ".join(text.lower().split()).strip(" .!")
    for choice in choices:
        if words == " ".join(choice["title"].lower().split()):
            return choice["payload"]
    return None
