"""Schema creation and the UTC datetime column type."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import StatementError

from bot.shared.database import create_store_engine
from bot.store.tables import TABLES_IN_DEPENDENCY_ORDER, complaints, create_schema, drop_schema


def test_create_schema_is_repeatable_and_keeps_rows(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    create_schema(engine)
    moment = datetime(2026, 11, 20, 13, 30, tzinfo=timezone(timedelta(hours=1)))
    with engine.begin() as connection:
        connection.execute(
            insert(complaints).values(conversation_id="c", text="t", order_number=None, created_at=moment)
        )
    create_schema(engine)
    assert set(inspect(engine).get_table_names()) == {table.name for table in TABLES_IN_DEPENDENCY_ORDER}
    with engine.connect() as connection:
        stored = connection.execute(select(complaints.c.created_at)).scalar_one()
    assert stored == moment and stored.tzinfo == timezone.utc and stored.hour == 12
    drop_schema(engine)
    assert inspect(engine).get_table_names() == []


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'naive.db'}")
    create_schema(engine)
    with pytest.raises(StatementError, match="timezone-aware"), engine.begin() as connection:
        connection.execute(
            insert(complaints).values(
                conversation_id="c", text="t", order_number=None, created_at=datetime(2026, 11, 20)
            )
        )
