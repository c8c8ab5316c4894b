"""The attachments of an inbound mail that were dropped, as the customer's message carries them to an agent.

The e-mail channel puts them into the metadata of the mail's first message; the handoff desk shows an agent
a line naming each file and its size under that message.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

from bot.shared.email.inbound import DroppedAttachment

METADATA_KEY = "email_attachments_not_read"
# a mail may come with many files; an agent needs to know that there were, not every name
NOTED_AT_MOST = 20
MAX_NAME_LENGTH = 120


def as_metadata(attachments: Sequence[DroppedAttachment]) -> List[Dict[str, Any]]:
    return [{"filename": item.filename, "size": item.size} for item in attachments[:NOTED_AT_MOST]]


def from_metadata(metadata: Any) -> List[DroppedAttachment]:
    """What `as_metadata` wrote; anything else in the metadata is ignored."""
    listed = metadata.get(METADATA_KEY) if isinstance(metadata, Mapping) else None
    if not isinstance(listed, list):
        return []
    found = []
    for item in listed[:NOTED_AT_MOST]:
        if isinstance(item, Mapping) and isinstance(item.get("filename"), str) and isinstance(item.get("size"), int):
            found.append(DroppedAttachment(item["filename"][:MAX_NAME_LENGTH], max(0, item["size"])))
    return found


def readable_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def agent_note(metadata: Any) -> Optional[str]:
    """The line an agent sees under the customer's message; None when the mail came without files."""
    attachments = from_metadata(metadata)
    if not attachments:
        return None
    listed = ", ".join(f"{item.filename or 'unnamed file'} ({readable_size(item.size)})" for item in attachments)
    return f"[Attachments not read: {listed}]"
