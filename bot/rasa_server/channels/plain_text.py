"""Buttons and quick replies written out as text, for platforms that can only show text (SMS, WhatsApp)."""
from __future__ import annotations

from typing import Any, Dict, List


def with_choices_as_text(text: str, choices: List[Dict[str, Any]]) -> str:
    """The message followed by the choices' titles, which the customer can type back."""
    titles = [str(choice.get("title", "")).strip() for choice in choices if isinstance(choice, dict)]
    titles = [title for title in titles if title]
    if not titles:
        return text
    listed = "\n".join(f"- {title}" for title in titles)
    return f"{text}\n\nReply with one of:\n{listed}"
