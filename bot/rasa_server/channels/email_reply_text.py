"""What the customer wrote this time: the mail without quoted history, sign-off and signature."""

from __future__ import annotations

import re
from typing import Optional

from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

# Mail clients' signature separator, and the sign-offs that end what a customer has to say.
_SIGNATURE_SEPARATOR = re.compile(r"^-- ?$")
_SIGN_OFF = re.compile(
    r"^(thanks|thank you|many thanks|cheers|best|best wishes|best regards|kind regards|regards|warm regards|"
    r"sincerely|yours sincerely|all the best|sent from my \w+.*)[,.!]*$",
    re.IGNORECASE,
)
MAX_TEXT_LENGTH = 5000


def _without_sign_off(text: str) -> str:
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _SIGNATURE_SEPARATOR.match(line.rstrip()) or (index > 0 and _SIGN_OFF.match(stripped)):
            return "\n".join(lines[:index]).strip()
    return text.strip()


def new_text(stripped_text: Optional[str], body_plain: Optional[str]) -> str:
    """The provider's own stripped text when it has one, else the body read by a reply parser."""
    text = stripped_text if stripped_text and stripped_text.strip() else None
    if text is None and body_plain:
        replies = (
            EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"])
            .read(body_plain[: MAX_TEXT_LENGTH * 4])
            .replies
        )
        text = replies[0].body if replies else body_plain
    return _without_sign_off((text or "")[:MAX_TEXT_LENGTH])
