"""The supervisor's routes over HTTP: transfers refused when they should be, masked unanswered questions, labels."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.records import AgentRole
from bot.service.reports.turn_tail import TurnTail
from tests.support.handoff_fixtures import HandoffDatabase, RunningService, auth, escalate, service_settings

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)


@pytest.fixture
def service(handoff_database: HandoffDatabase, tmp_path: Path) -> Iterator[RunningService]:
    running = RunningService(service_settings(handoff_database, tmp_path), handoff_database.schema).start()
    yield running
    running.stop()


def _login(service: RunningService, name: str) -> str:
    body = {"username": name, "password": "password-123"}
    return str(requests.post(f"{service.url}/api/agents/login", json=body, timeout=10).json()["token"])


@pytest.fixture
def people(service: RunningService, engine: Any) -> Any:
    agents = AgentRepository(engine)
    sam = agents.create("sam", "Sam", "password-123", 3)
    agents.set_role(sam.id, AgentRole.SUPERVISOR)
    lee = agents.create("lee", "Lee", "password-123", 1)
    token = _login(service, "lee")
    # someone must be online for a chat to be queued live
    requests.post(f"{service.url}/api/agents/me/status", json={"status": "online"}, headers=auth(token), timeout=10)
    return _login(service, "sam"), token, lee.id


def test_transfers_are_refused_to_agents_full_or_unknown_and_for_chats_no_longer_open(
    service: RunningService, people: Any
) -> None:
    supervisor, agent, lee = people
    first = escalate(service, "conv-one").json()["handoff_id"]
    second = escalate(service, "conv-two").json()["handoff_id"]
    url = f"{service.url}/api/handoffs"
    note = {"note": "please take this"}

    as_agent = requests.post(
        f"{url}/{first}/transfer", json={**note, "to_agent_id": lee}, headers=auth(agent), timeout=10
    )
    assert as_agent.status_code == 403
    moved = requests.post(
        f"{url}/{first}/transfer", json={**note, "to_agent_id": lee}, headers=auth(supervisor), timeout=10
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["handoff"]["assigned_agent"]["username"] == "lee"
    again = requests.post(
        f"{url}/{first}/transfer", json={**note, "to_agent_id": lee}, headers=auth(supervisor), timeout=10
    )
    assert again.status_code == 409
    full = requests.post(
        f"{url}/{second}/transfer", json={**note, "to_agent_id": lee}, headers=auth(supervisor), timeout=10
    )
    assert full.status_code == 429 and "Lee already has 1 open chats" in full.json()["error"]
    nobody = requests.post(
        f"{url}/{second}/transfer", json={**note, "to_agent_id": 999}, headers=auth(supervisor), timeout=10
    )
    assert nobody.status_code == 404
    waiting = requests.post(f"{url}/{second}/transfer", json=note, headers=auth(supervisor), timeout=10)
    assert waiting.status_code == 409  # already in the queue
    back = requests.post(f"{url}/{first}/transfer", json=note, headers=auth(supervisor), timeout=10)
    assert back.status_code == 200 and back.json()["handoff"]["status"] == "waiting"
    assert back.json()["handoff"]["assigned_agent"] is None

    desk = requests.get(f"{service.url}/api/supervisor/desk", headers=auth(supervisor), timeout=10).json()
    assert [chat["id"] for chat in desk["chats"]] == [first, second]
    assert {agent["display_name"]: agent["active_chats"] for agent in desk["agents"]} == {"Sam": 0, "Lee": 0}
    assert requests.get(f"{service.url}/api/supervisor/desk", headers=auth(agent), timeout=10).status_code == 403


def test_unanswered_questions_are_masked_and_labels_export_as_nlu_data(
    service: RunningService, people: Any, tmp_path: Path
) -> None:
    supervisor, agent, _ = people
    broker = create_engine(f"sqlite:///{tmp_path / 'events.db'}", future=True)
    now = datetime.now(timezone.utc).timestamp()
    with broker.begin() as connection:
        connection.execute(
            text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")
        )
        for offset, said in enumerate(["my card 4111 1111 1111 1111 was charged twice, kim@example.com", "blorp"]):
            event = {
                "event": "user",
                "sender_id": "conv-masked",
                "timestamp": now + offset,
                "text": said,
                "input_channel": "socketio",
                "parse_data": {"intent": {"name": "nlu_fallback"}},
                "message_id": uuid.uuid4().hex,
            }
            connection.execute(
                text("INSERT INTO events (sender_id, data) VALUES ('conv-masked', :d)"), {"d": json.dumps(event)}
            )
    broker.dispose()
    TurnTail(service.desk.engine, str(tmp_path / "events.db")).process_available()
    url = f"{service.url}/api/reports/unanswered"

    found = requests.get(url, headers=auth(supervisor), timeout=10)
    assert found.status_code == 200, found.text
    texts = [question["text"] for group in found.json()["groups"] for question in group["questions"]]
    assert texts == ["my card [card number removed] was charged twice, [e-mail removed]", "blorp"]
    assert requests.get(url, headers=auth(agent), timeout=10).status_code == 403

    question = found.json()["groups"][0]["questions"][0]["id"]
    labelled = requests.post(
        f"{url}/{question}/label", json={"intent": "payment_issue"}, headers=auth(supervisor), timeout=10
    )
    assert labelled.status_code == 201 and labelled.json()["text"].startswith("my card [card number removed]")
    missing = requests.post(
        f"{url}/99999/label", json={"intent": "payment_issue"}, headers=auth(supervisor), timeout=10
    )
    assert missing.status_code == 404
    huge = requests.post(f"{url}/{2**40}/label", json={"intent": "payment_issue"}, headers=auth(supervisor), timeout=10)
    assert huge.status_code == 404
    exported = requests.get(f"{service.url}/api/reports/unanswered.yml", headers=auth(supervisor), timeout=10)
    assert exported.text == (
        'version: "3.1"\nnlu:\n- intent: payment_issue\n  examples: |\n'
        "    - my card [card number removed] was charged twice, [e-mail removed]\n"
    )
    assert "4111" not in exported.text and "kim@" not in exported.text
