"""Whose data is asked for, and the pseudonyms their conversations get when erased."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set

from bot.service.privacy.phone import Phone

ERASED_TEXT = "[erased]"


@dataclass
class Subject:
    """The customer (by e-mail, phone number or both) and every conversation id found to be theirs."""

    email: str
    conversation_ids: Set[str] = field(default_factory=set)
    pseudonyms: Dict[str, str] = field(default_factory=dict)
    phone: Optional[Phone] = None

    def pseudonym(self, conversation_id: str) -> str:
        # random, not a hash: a hash of a WhatsApp id (a phone number) could be reversed by trying numbers
        return self.pseudonyms.setdefault(conversation_id, f"erased-{uuid.uuid4().hex[:16]}")

    def like_patterns(self) -> List[str]:
        """SQL LIKE patterns that every text naming the customer matches (and others too: see `named_in`)."""
        patterns = [f"%{self.email}%"] if self.email else []
        if self.phone is not None:
            patterns.append(f"%{self.phone.needle}%")
        return patterns

    def named_in(self, text: Optional[str]) -> bool:
        if not text:
            return False
        if self.email and self.email in text.lower():
            return True
        return self.phone is not None and self.phone.mentioned_in(text)


def normalised_email(email: str) -> str:
    return email.strip().lower()
