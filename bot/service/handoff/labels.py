"""Labels agents put on conversations: a handoff's set of labels, replaced as a whole, and those of many handoffs at once."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Sequence

from sqlalchemy import select

from bot.service.handoff import tables as schema
from bot.service.handoff.errors import InvalidRequest
from bot.service.handoff.sql_repository import SqlRepository

MAX_LABELS = 10
MAX_LABEL_LENGTH = 40
_SPACES = re.compile(r"\s+")


def normalised_labels(labels: Iterable[str]) -> List[str]:
    """Lower case, single spaces, each once, in the order given."""
    kept: List[str] = []
    for label in labels:
        clean = _SPACES.sub(" ", label).strip().lower()
        if not clean:
            continue
        if len(clean) > MAX_LABEL_LENGTH:
            raise InvalidRequest(f"a label is at most {MAX_LABEL_LENGTH} characters long")
        if clean not in kept:
            kept.append(clean)
    if len(kept) > MAX_LABELS:
        raise InvalidRequest(f"a conversation has at most {MAX_LABELS} labels")
    return kept


class LabelRepository(SqlRepository):
    def set_labels(self, handoff_id: int, labels: Sequence[str], agent_id: Optional[int]) -> List[str]:
        wanted = normalised_labels(labels)
        table = schema.labels
        now = self._clock()
        with self._engine.begin() as connection:
            connection.execute(table.delete().where(table.c.handoff_id == handoff_id))
            for label in wanted:
                connection.execute(
                    table.insert().values(handoff_id=handoff_id, label=label, agent_id=agent_id, created_at=now)
                )
        return wanted

    def labels_of(self, handoff_id: int) -> List[str]:
        return self.labels_of_many([handoff_id]).get(handoff_id, [])

    def labels_of_many(self, handoff_ids: Sequence[int]) -> Dict[int, List[str]]:
        if not handoff_ids:
            return {}
        table = schema.labels
        found: Dict[int, List[str]] = {}
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(table.c.handoff_id, table.c.label)
                .where(table.c.handoff_id.in_(list(handoff_ids)))
                .order_by(table.c.handoff_id, table.c.id)
            )
            for row in rows:
                found.setdefault(int(row.handoff_id), []).append(str(row.label))
        return found

    def known_labels(self, limit: int = 50) -> List[str]:
        """Labels in use, for the console's suggestions."""
        table = schema.labels
        with self._engine.connect() as connection:
            rows = connection.execute(select(table.c.label).distinct().order_by(table.c.label).limit(limit))
            return [str(row.label) for row in rows]
