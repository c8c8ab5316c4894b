"""Finding past conversations by customer e-mail, order number or words said, newest first.

Agents read every handoff (bot/service/handoff/permissions.py keeps writing to the holder and
supervisors), so every logged-in agent may search them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import false, func, or_, select

from bot.service.handoff import tables as schema
from bot.service.handoff.sql_repository import SqlRepository
from bot.store.identifiers import normalise_order_number

MIN_QUERY_LENGTH = 2
MAX_RESULTS = 20
SNIPPET_LENGTH = 140


@dataclass(frozen=True)
class SearchHit:
    handoff_id: int
    conversation_id: str
    channel: Optional[str]
    status: str
    reason: str
    created_at: datetime
    closed_at: Optional[datetime]
    customer_email: Optional[str]
    order_number: Optional[str]
    matched: str
    snippet: Optional[str]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _slots(context_json: str) -> Dict[str, Any]:
    try:
        context = json.loads(context_json or "{}")
    except ValueError:
        return {}
    slots = context.get("slots") if isinstance(context, dict) else None
    return slots if isinstance(slots, dict) else {}


def _snippet(text: str, query: str) -> str:
    at = text.lower().find(query.lower())
    start = max(0, at - SNIPPET_LENGTH // 3) if at >= 0 else 0
    piece = text[start : start + SNIPPET_LENGTH]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_LENGTH < len(text) else "")


class ConversationSearch(SqlRepository):
    def search(self, query: str, limit: int = MAX_RESULTS) -> List[SearchHit]:
        query = query.strip()
        if len(query) < MIN_QUERY_LENGTH:
            return []
        # "ord100123", "#100123" and "100123" all find ORD-100123
        order_number = normalise_order_number(query)
        needle = order_number or query
        pattern = _like(needle)
        # the stored context is JSON: only a value that cannot be a key (an order number, an address)
        # is looked for in it, or "order" would find every conversation by its slot names
        in_context = order_number is not None or "@" in query
        handoffs, messages = schema.handoffs, schema.messages
        said = (
            select(messages.c.handoff_id, func.min(messages.c.id).label("message_id"))
            .where(func.lower(messages.c.text).like(pattern, escape="\\"))
            .group_by(messages.c.handoff_id)
            .subquery()
        )
        rows_query = (
            select(handoffs, messages.c.text.label("said_text"))
            .outerjoin(said, said.c.handoff_id == handoffs.c.id)
            .outerjoin(messages, messages.c.id == said.c.message_id)
            .where(
                or_(
                    said.c.handoff_id.is_not(None),
                    func.lower(handoffs.c.customer_email).like(pattern, escape="\\"),
                    func.lower(handoffs.c.context_json).like(pattern, escape="\\") if in_context else false(),
                    func.lower(handoffs.c.customer_message).like(pattern, escape="\\"),
                )
            )
            .order_by(handoffs.c.created_at.desc(), handoffs.c.id.desc())
            .limit(limit)
        )
        return self._all(rows_query, lambda row: _hit(row, needle))


def _hit(row: Any, needle: str) -> SearchHit:
    slots = _slots(row.context_json)
    email = row.customer_email or slots.get("verified_email") or slots.get("email")
    order_number = slots.get("order_number")
    lowered = needle.lower()
    if order_number and lowered in str(order_number).lower():
        matched = "order"
    elif email and lowered in str(email).lower():
        matched = "customer"
    else:
        matched = "text"
    text = row.said_text or row.customer_message
    return SearchHit(
        handoff_id=row.id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        status=row.status,
        reason=row.reason,
        created_at=row.created_at,
        closed_at=row.closed_at,
        customer_email=str(email) if email else None,
        order_number=str(order_number) if order_number else None,
        matched=matched,
        snippet=_snippet(text, needle) if text else None,
    )
