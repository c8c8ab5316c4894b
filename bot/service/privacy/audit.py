"""The audit log of agents' views of customer data: who looked at whose record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.reports import tables as schema
from bot.shared.clock import as_utc


def record_view(engine: Engine, agent_id: int, customer_key: str, what: str, at: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            schema.record_views.insert().values(agent_id=agent_id, customer_key=customer_key[:255], what=what, at=at)
        )


def views(engine: Engine, limit: int = 500) -> List[Dict[str, Any]]:
    table = schema.record_views
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.id.desc()).limit(limit))
        return [
            {"agent_id": row.agent_id, "customer": row.customer_key, "what": row.what, "at": as_utc(row.at).isoformat()}
            for row in rows
        ]
