"""The languages the assistant speaks, as ISO 639-1 codes, and the one it falls back to."""

from __future__ import annotations

from typing import Optional, Tuple

SUPPORTED_LANGUAGES: Tuple[str, ...] = ("en", "es", "fr", "de")
DEFAULT_LANGUAGE = "en"


def spoken_or_default(code: Optional[object]) -> str:
    """A supported code as it is ("es-MX" and "ES" count as "es"); anything else as the default language."""
    if not isinstance(code, str):
        return DEFAULT_LANGUAGE
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
