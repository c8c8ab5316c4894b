"""The facts an agent acts on for one handoff: who the customer is, the order in question, earlier chats."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import quote

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from bot.service.handoff import tables as schema
from bot.service.handoff.records import Handoff
from bot.store.repository import StoreRepository

logger = logging.getLogger(__name__)
EARLIER_CHATS_SHOWN = 5
# the carriers of the demo store; another carrier gets no link, only its tracking number
TRACKING_PAGES = {
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}",
    "ups": "https://www.ups.com/track?tracknum={number}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{number}",
    "gls": "https://gls-group.com/GROUP/en/parcel-tracking?match={number}",
    "postnl": "https://jouw.postnl.nl/track-and-trace/{number}",
}


@dataclass(frozen=True)
class CustomerFacts:
    verified: bool
    name: Optional[str]
    email: Optional[str]


@dataclass(frozen=True)
class OrderFacts:
    number: str
    status: Optional[str]
    placed_at: Optional[datetime]
    carrier: Optional[str]
    tracking_number: Optional[str]
    tracking_url: Optional[str]
    shipment_status: Optional[str]


@dataclass(frozen=True)
class EarlierChat:
    handoff_id: int
    created_at: datetime
    reason: str
    status: str
    outcome: Optional[str]
    # the customer's record: what agents noted and how the customer rated that chat (texts masked when stored)
    notes: List[str] = field(default_factory=list)
    rating: Optional[int] = None
    rating_comment: Optional[str] = None


@dataclass(frozen=True)
class ChatFacts:
    customer: CustomerFacts
    language: Optional[str]
    order: Optional[OrderFacts]
    failed_verifications: int
    earlier_chats: List[EarlierChat]


def tracking_url(carrier: Optional[str], number: Optional[str]) -> Optional[str]:
    page = TRACKING_PAGES.get((carrier or "").strip().lower())
    return page.format(number=quote(number, safe="")) if page and number else None


def customer_email_of(handoff: Handoff, slots: Mapping[str, Any]) -> Optional[str]:
    """The verified address, or the one a ticket was left with; an address merely typed is not the customer's."""
    if slots.get("verified"):
        email = slots.get("verified_email") or slots.get("email")
        return str(email) if email else None
    return handoff.customer_email


def chat_facts(engine: Engine, handoff: Handoff, slots: Mapping[str, Any]) -> ChatFacts:
    verified = bool(slots.get("verified"))
    email = customer_email_of(handoff, slots)
    store = StoreRepository(engine)
    name, order = _from_store(store, email if verified else None, slots.get("order_number"))
    attempts = slots.get("verification_attempts")
    language = handoff.context.get("language") or slots.get("language")
    return ChatFacts(
        customer=CustomerFacts(verified=verified, name=name, email=email),
        language=str(language) if language else None,
        order=order,
        failed_verifications=int(attempts) if isinstance(attempts, (int, float)) else 0,
        earlier_chats=_earlier_chats(engine, handoff, email),
    )


def _from_store(
    store: StoreRepository, verified_email: Optional[str], order_number: Any
) -> Tuple[Optional[str], Optional[OrderFacts]]:
    try:
        customer = store.find_customer(verified_email) if verified_email else None
        order = _order(store, str(order_number)) if order_number else None
    except Exception:  # the store is another component: its failure must not cost the agent the chat
        logger.exception("could not read the customer or the order for the context card")
        return None, None
    return (customer.name if customer else None), order


def _order(store: StoreRepository, order_number: str) -> OrderFacts:
    order = store.find_order(order_number)
    shipment = store.shipment_for(order_number) if order else None
    return OrderFacts(
        number=order.number if order else order_number,
        status=order.status.value if order else None,
        placed_at=order.placed_at if order else None,
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
        tracking_url=tracking_url(shipment.carrier, shipment.tracking_number) if shipment else None,
        shipment_status=shipment.status.value if shipment else None,
    )


def _earlier_chats(engine: Engine, handoff: Handoff, email: Optional[str]) -> List[EarlierChat]:
    table = schema.handoffs
    same_customer = [table.c.conversation_id == handoff.conversation_id]
    if email:
        same_customer.append(func.lower(table.c.customer_email) == email.lower())
        # a verified address sits in the stored context as a JSON string value
        same_customer.append(table.c.context_json.contains(f'"{email}"', autoescape=True))
    query = (
        select(table.c.id, table.c.created_at, table.c.reason, table.c.status, table.c.outcome)
        .where(or_(*same_customer))
        .where(table.c.id != handoff.id)
        .where(table.c.created_at <= handoff.created_at)
        .order_by(table.c.created_at.desc(), table.c.id.desc())
        .limit(EARLIER_CHATS_SHOWN)
    )
    with engine.connect() as connection:
        rows = list(connection.execute(query))
        ids = [row.id for row in rows]
        notes: Dict[int, List[str]] = {}
        ratings: Dict[int, Tuple[int, Optional[str]]] = {}
        if ids:
            for note in connection.execute(
                select(schema.notes.c.handoff_id, schema.notes.c.text)
                .where(schema.notes.c.handoff_id.in_(ids))
                .order_by(schema.notes.c.id)
            ):
                notes.setdefault(note.handoff_id, []).append(note.text)
            for rating in connection.execute(
                select(schema.ratings.c.handoff_id, schema.ratings.c.score, schema.ratings.c.comment)
                .where(schema.ratings.c.handoff_id.in_(ids))
                .order_by(schema.ratings.c.id)
            ):
                ratings[rating.handoff_id] = (rating.score, rating.comment)
    return [
        EarlierChat(
            row.id,
            row.created_at,
            row.reason,
            row.status,
            row.outcome,
            notes=notes.get(row.id, []),
            rating=ratings[row.id][0] if row.id in ratings else None,
            rating_comment=ratings[row.id][1] if row.id in ratings else None,
        )
        for row in rows
    ]
