"""An inbound e-mail as every provider's webhook is turned into: who wrote, the new text, and the thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class DroppedAttachment:
    """A file that came with a mail: never stored or read, only its name and size are kept to tell an agent."""

    filename: str
    size: int


@dataclass(frozen=True)
class InboundMail:
    sender: str
    subject: str
    # only what the customer wrote this time: quoted history and signature already removed
    text: str
    message_id: str
    in_reply_to: Tuple[str, ...] = ()
    references: Tuple[str, ...] = ()
    attachments: Tuple[DroppedAttachment, ...] = ()

    @property
    def thread_ids(self) -> Tuple[str, ...]:
        """The Message-Ids this mail answers, nearest first."""
        return self.in_reply_to + tuple(reversed(self.references))
