"""Roles over HTTP: only the agent holding a chat, or a supervisor, writes in it; everyone reads."""

from __future__ import annotations

from typing import Callable

import pytest
import requests

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.records import AgentRole, Sender
from tests.support.handoff_fixtures import HandoffDatabase, RunningService, auth, escalate, internal

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)


def _post(service: RunningService, path: str, token: str, body: object = None) -> requests.Response:
    return requests.post(service.url + path, json=body, headers=auth(token), timeout=10)


def _get(service: RunningService, path: str, token: str) -> requests.Response:
    return requests.get(service.url + path, headers=auth(token), timeout=10)


@pytest.fixture
def promote(handoff_database: HandoffDatabase) -> Callable[[str], None]:
    def make_supervisor(username: str) -> None:
        engine = handoff_database.engine()
        agents = AgentRepository(engine)
        agents.set_role(agents.find(username).id, AgentRole.SUPERVISOR)
        engine.dispose()

    return make_supervisor


def _ticket(service: RunningService, conversation_id: str) -> int:
    body = {"conversation_id": conversation_id, "email": "kim@example.com", "message": "call me back"}
    response = requests.post(f"{service.url}/internal/tickets", json=body, headers=internal(), timeout=10)
    assert response.status_code == 201
    return int(response.json()["ticket_id"])


def test_another_agent_cannot_write_in_a_claimed_chat_and_nothing_is_written(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    dana, lee = create_agent(service, "dana"), create_agent(service, "lee")
    handoff_id = escalate(service, "conv-dana").json()["handoff_id"]
    assert _post(service, f"/api/handoffs/{handoff_id}/claim", dana).status_code == 200

    for path, body in [
        ("messages", {"text": "hi from lee"}),
        ("notes", {"text": "lee was here"}),
        ("close", {"outcome": "resolved"}),
        ("close", {"outcome": "back_to_bot"}),
    ]:
        refused = _post(service, f"/api/handoffs/{handoff_id}/{path}", lee, body)
        assert refused.status_code == 403, (path, refused.text)
        assert "only the agent who claimed this chat or a supervisor" in refused.json()["error"]

    # lee still reads everything, and nothing of his was written
    detail = _get(service, f"/api/handoffs/{handoff_id}", lee)
    assert detail.status_code == 200
    assert detail.json()["notes"] == [] and detail.json()["handoff"]["status"] == "active"
    # only the greeting the claim queued for dana (Rasa is not running here, so it is still pending)
    lines = service.desk.transcripts.messages(handoff_id)
    assert [(line.sender, line.delivery.value) for line in lines] == [(Sender.BOT, "pending")]
    assert [item["id"] for item in _get(service, "/api/handoffs?status=active", lee).json()["handoffs"]] == [handoff_id]


def test_nobody_but_a_supervisor_writes_in_a_chat_nobody_has_claimed(
    service: RunningService, create_agent: Callable[..., str], promote: Callable[[str], None]
) -> None:
    dana, sam = create_agent(service, "dana"), create_agent(service, "sam")
    promote("sam")
    handoff_id = escalate(service, "conv-waiting").json()["handoff_id"]
    note = _post(service, f"/api/handoffs/{handoff_id}/notes", dana, {"text": "x"})
    assert note.status_code == 403 and "claim it first" in note.json()["error"]
    assert _post(service, f"/api/handoffs/{handoff_id}/notes", sam, {"text": "VIP, be quick"}).status_code == 201
    # a supervisor may write, but a waiting chat has nobody to talk to yet
    waiting = _post(service, f"/api/handoffs/{handoff_id}/messages", sam, {"text": "hello"})
    assert waiting.status_code == 409
    assert [note["text"] for note in _get(service, f"/api/handoffs/{handoff_id}", dana).json()["notes"]] == [
        "VIP, be quick"
    ]


def test_a_supervisor_steps_into_someone_elses_chat(
    service: RunningService, create_agent: Callable[..., str], promote: Callable[[str], None]
) -> None:
    dana, sam = create_agent(service, "dana"), create_agent(service, "sam")
    promote("sam")
    me = _get(service, "/api/agents/me", sam).json()
    assert me["role"] == "supervisor"
    assert _get(service, "/api/agents/me", dana).json()["role"] == "agent"

    live = escalate(service, "conv-live").json()["handoff_id"]
    ticket = _ticket(service, "conv-ticket")
    for handoff_id in (live, ticket):
        assert _post(service, f"/api/handoffs/{handoff_id}/claim", dana).status_code == 200

    assert _post(service, f"/api/handoffs/{live}/notes", sam, {"text": "I'll take over"}).status_code == 201
    # past the permission check: the reply is queued for Rasa, which is not running in this test
    queued = _post(service, f"/api/handoffs/{live}/messages", sam, {"text": "Hello"})
    assert queued.status_code == 202 and queued.json()["message"]["delivery"] == "pending"
    # a ticket closes without Rasa; it stays on the record of the agent who held it
    closed = _post(service, f"/api/handoffs/{ticket}/close", sam, {"outcome": "resolved"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["handoff"]["status"] == "closed"
    assert closed.json()["handoff"]["assigned_agent"]["username"] == "dana"


def test_the_holder_still_writes_and_closes(service: RunningService, create_agent: Callable[..., str]) -> None:
    dana = create_agent(service, "dana")
    ticket = _ticket(service, "conv-own")
    assert _post(service, f"/api/handoffs/{ticket}/claim", dana).status_code == 200
    assert _post(service, f"/api/handoffs/{ticket}/notes", dana, {"text": "called back"}).status_code == 201
    assert _post(service, f"/api/handoffs/{ticket}/close", dana, {"outcome": "resolved"}).status_code == 200
    # closing is idempotent: the same close again reports the closed chat, another outcome is refused
    again = _post(service, f"/api/handoffs/{ticket}/close", dana, {"outcome": "resolved"})
    assert again.status_code == 200 and again.json()["handoff"]["status"] == "closed"
    other = _post(service, f"/api/handoffs/{ticket}/close", dana, {"outcome": "back_to_bot"})
    assert other.status_code == 409 and "already closed as resolved" in other.json()["error"]
