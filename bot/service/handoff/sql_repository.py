"""What every handoff repository does with its engine: read records, count, and change rows on a condition."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, TypeVar

from sqlalchemy.engine import Connection, Engine

from bot.shared.clock import Clock, utc_now

Item = TypeVar("Item")
# work done in the same transaction as a state change (queueing the message that goes with it)
InTransaction = Callable[[Connection], None]


def changed_one(connection: Connection, statement: Any) -> bool:
    """True when the (conditional) UPDATE or DELETE found its row: the condition decided the race."""
    return int(connection.execute(statement).rowcount) == 1


def inserted_id(connection: Connection, statement: Any) -> int:
    return int(connection.execute(statement).inserted_primary_key[0])


class SqlRepository:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def _first(self, query: Any, to_item: Callable[[Any], Item]) -> Optional[Item]:
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else to_item(row)

    def _all(self, query: Any, to_item: Callable[[Any], Item]) -> List[Item]:
        with self._engine.connect() as connection:
            return [to_item(row) for row in connection.execute(query)]

    def _count(self, query: Any) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def _change(self, statement: Any, then: Optional[InTransaction] = None) -> bool:
        """Runs `statement` in a transaction of its own; `then` joins it when exactly one row changed."""
        with self._engine.begin() as connection:
            changed = changed_one(connection, statement)
            if changed and then is not None:
                then(connection)
        return changed
