"""Whose data is asked for, and the pseudonyms their conversations get when erased."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Dict, Set

ERASED_TEXT = "[erased]"


@dataclass
class Subject:
    """The customer (by e-mail) and every conversation id found to be theirs."""

    email: str
    conversation_ids: Set[str] = field(default_factory=set)
    pseudonyms: Dict[str, str] = field(default_factory=dict)

    def pseudonym(self, conversation_id: str) -> str:
        # random, not a hash: a hash of a WhatsApp id (a phone number) could be reversed by trying numbers
        return self.pseudonyms.setdefault(conversation_id, f"erased-{uuid.uuid4().hex[:16]}")


def normalised_email(email: str) -> str:
    return email.strip().lower()
