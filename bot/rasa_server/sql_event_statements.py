"""The statements Rasa's SQL tracker store runs, built once as SQLAlchemy Core instead of per call as ORM queries.

Rasa's `SQLTrackerStore` builds an ORM query for every read and count, turns every row into an object, and
saves through the ORM's unit of work, one object per event. For the few rows of one conversation that
machinery cost more than the database did. These statements select, count and insert exactly what Rasa's
do (same table, same filter on the latest `session_started`, same order by id); built once with a bound
`sender_id`, they are compiled once and their cache key is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List

import sqlalchemy as sa
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.nlu.constants import INTENT_NAME_KEY

SENDER = "sender_id"


@dataclass(frozen=True)
class EventStatements:
    """Reads, counts and inserts of one events table."""

    latest_session_data: sa.sql.Select
    all_sessions_data: sa.sql.Select
    latest_session_count: sa.sql.Select
    insert: sa.sql.Insert

    @classmethod
    def of(cls, table: sa.Table) -> EventStatements:
        sender = sa.bindparam(SENDER)
        session_start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(table.c.sender_id == sender, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        in_latest_session = sa.or_(table.c.timestamp >= session_start, session_start.is_(None))
        of_sender = table.c.sender_id == sender
        return cls(
            latest_session_data=sa.select(table.c.data).where(of_sender, in_latest_session).order_by(table.c.id),
            all_sessions_data=sa.select(table.c.data).where(of_sender).order_by(table.c.id),
            latest_session_count=sa.select(sa.func.count()).select_from(table).where(of_sender, in_latest_session),
            insert=table.insert(),
        )


def event_rows(sender_id: str, events: List[Event], serialise: Any) -> List[Dict[str, Any]]:
    """The rows Rasa's store writes for `events`, with `serialise` (json.dumps) for the data column."""
    rows = []
    for event in events:
        data = event.as_dict()
        rows.append(
            {
                "sender_id": sender_id,
                "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"),
                "data": serialise(data),
            }
        )
    return rows
