"""What the store says for the agent's context card: the verified customer's orders, failed verifications."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy.engine import Engine

from bot.store.repository import StoreRepository
from bot.store.verification_attempts import VerificationAttempts

logger = logging.getLogger(__name__)
MAX_ORDERS_SHOWN = 10


def order_summaries(engine: Engine, email: Optional[str]) -> Optional[List[Dict[str, Any]]]:
    """None when the store cannot answer (no email, store not built); agents still get the chat."""
    if not email:
        return None
    try:
        orders = StoreRepository(engine).orders_for_customer(email, limit=MAX_ORDERS_SHOWN)
    except Exception:  # the store is another component: its failure must not cost the agent the chat
        logger.exception("could not read the orders of the verified customer")
        return None
    return [_plain(order) for order in list(orders)[:MAX_ORDERS_SHOWN]]


def verification_standing(
    engine: Engine, order_number: Optional[str], clock: Optional[Callable[[], datetime]] = None
) -> Optional[Dict[str, Any]]:
    """Failed verification attempts (any conversation, last 24 hours) and the lock state of the order number.

    None when the conversation has no order number or the store cannot answer.
    """
    if not order_number:
        return None

    try:
        attempts = VerificationAttempts(engine) if clock is None else VerificationAttempts(engine, clock=clock)
        standing = attempts.standing(str(order_number))
    except Exception:  # the store is another component: its failure must not cost the agent the chat
        logger.exception("could not read the failed verifications of the order number")
        return None
    if standing is None:
        return None
    return {
        "order_number": standing.order_number,
        "failed_attempts": standing.failed_attempts,
        "counted_since": _plain(standing.counted_since),
        "locked": standing.locked,
        "locked_until": _plain(standing.locked_until),
    }


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
