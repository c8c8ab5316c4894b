"""Export and erasure of one customer's data across every store, and the retention purge."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy.engine import Engine

from bot.service.privacy.handoff_records import HandoffRecords
from bot.service.privacy.phone import parsed_phone
from bot.service.privacy.rasa_stores import RasaStore, rasa_stores
from bot.service.privacy.store_records import StoreRecords
from bot.service.privacy.subject import Subject, normalised_email
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    conversations: int
    changed: Dict[str, int]


class PrivacyOffice:
    def __init__(self, engine: Engine, rasa: List[RasaStore]) -> None:
        self._handoffs = HandoffRecords(engine)
        self._store = StoreRecords(engine)
        self._rasa = rasa

    @classmethod
    def for_settings(cls, engine: Engine, settings: Settings) -> PrivacyOffice:
        return cls(engine, rasa_stores(settings))

    def subject(
        self, email: Optional[str] = None, phone: Optional[str] = None, region: Optional[str] = None
    ) -> Subject:
        """The customer and every conversation any store ties to their e-mail address or phone number.

        Asked by phone, the address the customer proved in those conversations (verified at a handoff)
        is theirs too, so their store record and e-mails are found as well.
        """
        if not email and not phone:
            raise ValueError("an e-mail address or a phone number is needed")
        subject = Subject(normalised_email(email or ""), phone=parsed_phone(phone, region) if phone else None)
        if email and "@" not in subject.email:
            raise ValueError("an e-mail address is needed")
        self._gather(subject)
        if not subject.email:
            addresses = self._handoffs.verified_emails(subject.conversation_ids)
            if len(addresses) == 1:
                subject.email = addresses.pop()
                self._gather(subject)
        return subject

    def _gather(self, subject: Subject) -> None:
        subject.conversation_ids |= self._handoffs.find(subject) | self._store.find(subject)
        for store in self._rasa:
            subject.conversation_ids |= store.find(subject)

    def export(
        self, email: Optional[str] = None, phone: Optional[str] = None, region: Optional[str] = None
    ) -> Dict[str, Any]:
        subject = self.subject(email, phone, region)
        found: Dict[str, Any] = {
            "email": subject.email or None,
            "phone": subject.phone.e164 if subject.phone else None,
            "conversation_ids": sorted(subject.conversation_ids),
        }
        found.update(self._store.export(subject))
        found.update(self._handoffs.export(subject))
        for store in self._rasa:
            found[store.name] = store.export(subject)
        return found

    def erase(self, email: Optional[str] = None, phone: Optional[str] = None, region: Optional[str] = None) -> Erasure:
        subject = self.subject(email, phone, region)
        changed = {store.name: store.erase(subject) for store in self._rasa}
        changed[self._handoffs.name] = self._handoffs.erase(subject)
        changed[self._store.name] = self._store.erase(subject)
        return Erasure(len(subject.conversation_ids), changed)

    def purge(self, now: datetime, retention_days: int) -> int:
        """Conversations older than the retention period: deleted from Rasa, anonymised here. Returns how many."""
        cutoff = now - timedelta(days=retention_days)
        for store in self._rasa:
            store.purge_before(cutoff)
        old = Subject("", self._handoffs.conversations_before(cutoff))
        if old.conversation_ids:
            self._handoffs.erase(old)
            self._store.erase(old)
        return len(old.conversation_ids)

    def close(self) -> None:
        for store in self._rasa:
            store.close()
