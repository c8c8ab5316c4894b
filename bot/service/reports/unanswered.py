"""Finds the questions the assistant did not answer in a period: its fallbacks and the turns a handoff followed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterable, List, Optional, Tuple

from sqlalchemy import and_, bindparam, create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.service.handoff import tables as handoff_schema
from bot.service.handoff.broker_table import events_database_url
from bot.service.reports import tables as schema
from bot.service.reports.dataset import SESSION_GAP
from bot.shared.clock import as_utc
from bot.shared.log_masking import EMAIL
from bot.shared.privacy_masking import mask_private

# a turn of these intents right before a handoff is the request for a person or a reply to a form,
# not a question the assistant got wrong
NOT_QUESTIONS = frozenset({"human_handoff", "contact_customer_service", "inform", "rate", "affirm", "deny", "greet"})
EMAIL_MASK = "[e-mail removed]"
MAX_QUESTIONS = 2000
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Question:
    id: int
    conversation_id: str
    at: datetime
    intent: Optional[str]
    why: str
    text: str


def masked(text_: str) -> str:
    """Training data needs no one's card, IBAN, secret or address: masked as transcripts are, e-mails too."""
    # the log masking's address pattern: bounded runs, so its work stays linear on any text
    return EMAIL.sub(EMAIL_MASK, mask_private(" ".join(text_.split())))


@dataclass(frozen=True)
class _Candidate:
    turn_id: int
    conversation_id: str
    at: datetime
    intent: Optional[str]
    event_key: str
    why: str


def _candidates(engine: Engine, start: datetime, end: datetime) -> List[_Candidate]:
    turns, handoffs = schema.turns, handoff_schema.handoffs
    found: Dict[int, _Candidate] = {}
    with engine.connect() as connection:
        for row in connection.execute(
            select(turns)
            .where(and_(turns.c.at >= start, turns.c.at < end, turns.c.fallback.is_(True)))
            .limit(MAX_QUESTIONS)
        ):
            found[row.id] = _Candidate(
                row.id, row.conversation_id, as_utc(row.at), row.intent, row.source_event_id, "fallback"
            )
        escalations = connection.execute(
            select(handoffs.c.conversation_id, handoffs.c.created_at, handoffs.c.reason).where(
                and_(handoffs.c.created_at >= start, handoffs.c.created_at < end)
            )
        ).all()
        for escalation in escalations:
            before = connection.execute(
                select(turns)
                .where(turns.c.conversation_id == escalation.conversation_id)
                .where(turns.c.at <= escalation.created_at)
                .where(turns.c.at > as_utc(escalation.created_at) - SESSION_GAP)
                .order_by(turns.c.at.desc(), turns.c.id.desc())
                .limit(1)
            ).first()
            if before is not None and before.id not in found and before.intent not in NOT_QUESTIONS:
                why = f"handoff: {escalation.reason}"
                found[before.id] = _Candidate(
                    before.id, before.conversation_id, as_utc(before.at), before.intent, before.source_event_id, why
                )
    return sorted(found.values(), key=lambda candidate: (candidate.at, candidate.turn_id))


def _texts(events_db: str, conversation_ids: Iterable[str]) -> Dict[Tuple[str, str], str]:
    """(conversation, message id) to text, read from Rasa's SQL broker: erased conversations are gone there too."""
    wanted = sorted(set(conversation_ids))
    if not wanted:
        return {}
    broker = create_engine(events_database_url(events_db), future=True)
    texts: Dict[Tuple[str, str], str] = {}
    try:
        with broker.connect() as connection:
            for offset in range(0, len(wanted), 200):
                rows = connection.execute(
                    text("SELECT sender_id, data FROM events WHERE sender_id IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": wanted[offset : offset + 200]},
                )
                for row in rows:
                    _keep_text(texts, row.sender_id, row.data)
    except (OperationalError, ProgrammingError):
        return {}  # no SQL broker table (yet, or RabbitMQ): there are no texts to show
    finally:
        broker.dispose()
    return texts


def _keep_text(texts: Dict[Tuple[str, str], str], sender_id: str, data: str) -> None:
    try:
        event = json.loads(data)
    except ValueError:
        return
    if not isinstance(event, dict) or event.get("event") != "user" or not isinstance(event.get("text"), str):
        return
    key = event.get("message_id") or f"{sender_id}:{event.get('timestamp')}"
    texts[(str(event.get("sender_id") or sender_id), str(key)[:64])] = event["text"]


def unanswered_questions(engine: Engine, events_db: str, start: datetime, end: datetime) -> List[Question]:
    candidates = _candidates(engine, start, end)
    texts = _texts(events_db, (candidate.conversation_id for candidate in candidates))
    questions = []
    for candidate in candidates:
        said = texts.get((candidate.conversation_id, candidate.event_key))
        if said and said.strip():
            questions.append(
                Question(
                    candidate.turn_id,
                    candidate.conversation_id,
                    candidate.at,
                    candidate.intent,
                    candidate.why,
                    masked(said),
                )
            )
    return questions


def question_by_id(engine: Engine, events_db: str, turn_id: int) -> Optional[Question]:
    """The one turn, if it is still in the broker; any turn may be labelled, not only this period's."""
    if not 1 <= turn_id <= MAX_ID:
        return None  # ids are 32-bit on PostgreSQL; a larger number is simply no question
    with engine.connect() as connection:
        row = connection.execute(select(schema.turns).where(schema.turns.c.id == turn_id)).first()
    if row is None:
        return None
    said = _texts(events_db, [row.conversation_id]).get((row.conversation_id, row.source_event_id))
    if not said or not said.strip():
        return None
    why = "fallback" if row.fallback else "handoff"
    return Question(row.id, row.conversation_id, as_utc(row.at), row.intent, why, masked(said))
