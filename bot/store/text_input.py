"""Cleaning of free text customers type (reasons, complaints) before it is stored."""

from __future__ import annotations

import unicodedata
from typing import Optional

# Newlines and tabs are kept; NUL and other control characters are refused by PostgreSQL or unreadable.
_KEPT_CONTROL_CHARACTERS = frozenset("\n\t")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})


def clean_free_text(text: Optional[str], max_length: int) -> Optional[str]:
    """The text without unprintable characters and outer whitespace; None when nothing usable remains or it is too long."""
    if not isinstance(text, str):
        return None
    kept = "".join(
        char
        for char in text
        if char in _KEPT_CONTROL_CHARACTERS or unicodedata.category(char) not in _DROPPED_CATEGORIES
    ).strip()
    if not kept or len(kept) > max_length:
        return None
    return kept
