"""The web chat's presence while queued: only its own browser may send it, and a customer who left is recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator, List, Tuple

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.service.reports import tables as schema
from bot.service.reports.abandonment import AbandonmentWatch
from bot.shared.settings import Settings
from bot.shared.webchat.session_proof import PROOF_HEADER, new_session
from tests.support.handoff_fixtures import HandoffDatabase, RunningService, auth, escalate, service_settings

SESSION_SECRET = "presence-test-session-secret-0123456789"


def abandonments_in(engine: Engine) -> List[Tuple[int, datetime, str]]:
    table = schema.abandonments
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.handoff_id, table.c.left_at, table.c.how))
        return [(row.handoff_id, row.left_at.replace(tzinfo=timezone.utc), row.how) for row in rows]


@pytest.fixture
def settings(handoff_database: HandoffDatabase, tmp_path: Path) -> Settings:
    return replace(service_settings(handoff_database, tmp_path), webchat_session_secret=SESSION_SECRET)


@pytest.fixture
def running(settings: Settings, handoff_database: HandoffDatabase) -> Iterator[RunningService]:
    service = RunningService(settings, handoff_database.schema).start()
    yield service
    service.stop()


def test_a_web_chat_closed_or_gone_quiet_while_queued_has_abandoned(
    running: RunningService, settings: Settings, engine: Engine, create_agent: Callable[..., str]
) -> None:
    token = create_agent(running, "dana", max_chats=1)
    sessions = {name: new_session(settings.webchat_session_secret) for name in ("closes", "drops", "served")}
    handoffs = {name: escalate(running, session_id).json() for name, (session_id, _) in sessions.items()}
    assert all(handoff["mode"] == "live" for handoff in handoffs.values())

    def presence(name: str, here: object, proof: str = "") -> requests.Response:
        session_id, session_proof = sessions[name]
        return requests.post(
            f"{running.url}/webchat/presence/{session_id}",
            json={"here": here},
            headers={PROOF_HEADER: proof or session_proof},
            timeout=10,
        )

    for name in sessions:
        assert presence(name, True).json() == {"recorded": True}
    claimed = requests.post(
        f"{running.url}/api/handoffs/{handoffs['served']['handoff_id']}/claim", headers=auth(token), timeout=10
    )
    assert claimed.status_code == 200, claimed.text
    assert presence("served", True).json() == {"recorded": False}  # an agent has it: nobody is waiting
    assert presence("closes", False).json() == {"recorded": True}
    assert presence("drops", "maybe").status_code == 400
    assert presence("drops", True, proof="forged").status_code == 404
    signalled_at = datetime.now(timezone.utc)

    # the service's own watch sweeps every 15 s on the real clock; a watch three minutes ahead decides now
    watch = AbandonmentWatch(engine, lambda: signalled_at + timedelta(minutes=3))
    watch.sweep()

    found = {handoff_id: how for handoff_id, _left_at, how in abandonments_in(engine)}
    assert found == {
        handoffs["closes"]["handoff_id"]: "closed_chat",
        handoffs["drops"]["handoff_id"]: "disconnected",
    }
    assert all(abs(left_at - signalled_at) < timedelta(minutes=1) for _, left_at, _ in abandonments_in(engine))
    with engine.connect() as connection:
        assert connection.execute(select(schema.chat_presence)).all() == []  # kept only while a chat waits
