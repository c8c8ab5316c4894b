"""One mail, several questions: the text cut into the parts that are each read as one message."""

from __future__ import annotations

import re
from typing import List

# A question ends with `?`; a new paragraph starts a new request.
_PARAGRAPHS = re.compile(r"\n\s*\n")
_AFTER_QUESTION = re.compile(r"(?<=\?)\s+(?=\S)")
_GREETING = re.compile(
    r"^(hi|hello|hey|dear [\w .'-]+|good (morning|afternoon|evening))\b[\w .'-]*[,!.]?$", re.IGNORECASE
)
MAX_PARTS = 5


def questions(text: str) -> List[str]:
    """Paragraphs, each cut after its question marks; a lone greeting line is dropped, as is what passes MAX_PARTS."""
    parts: List[str] = []
    for paragraph in _PARAGRAPHS.split(text):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if lines and _GREETING.match(lines[0]):
            lines = lines[1:]
        joined = " ".join(lines)
        parts.extend(piece.strip() for piece in _AFTER_QUESTION.split(joined) if piece.strip())
    return parts[:MAX_PARTS]
