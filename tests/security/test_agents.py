"""Agents on the running stack: no demo login, no notes or replies on a colleague's chat, no token in a URL."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Dict, Iterator, List

import pytest
import requests

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from tests.security.attacker import rest_say, rows
from tests.support.stack import Stack


def _agent(stack: Stack, username: str) -> Dict[str, str]:
    """A new agent, logged in and online; returns the auth header."""
    password = f"{username}-password-{uuid.uuid4().hex[:6]}"
    engine = create_handoff_engine(stack.database_url)
    try:
        create_handoff_tables(engine)
        AgentRepository(engine).create(username, username.title(), password)
    finally:
        engine.dispose()
    login = requests.post(
        f"{stack.service_url}/api/agents/login", json={"username": username, "password": password}, timeout=30
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    requests.post(f"{stack.service_url}/api/agents/me/status", json={"status": "online"}, headers=headers, timeout=30)
    return headers


@pytest.fixture(scope="module")
def holder_and_colleague(running_stack: Stack) -> Iterator[List[Dict[str, str]]]:
    suffix = uuid.uuid4().hex[:6]
    yield [_agent(running_stack, f"holder{suffix}"), _agent(running_stack, f"colleague{suffix}")]


def _claimed_handoff(stack: Stack, holder: Dict[str, str]) -> int:
    sender = uuid.uuid4().hex
    rest_say(stack, sender, "I want to talk to a human")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        waiting = requests.get(
            f"{stack.service_url}/api/handoffs", params={"status": "waiting"}, headers=holder, timeout=30
        )
        for handoff in waiting.json()["handoffs"]:
            if handoff["conversation_id"] == f"rest-{sender}":
                claimed = requests.post(
                    f"{stack.service_url}/api/handoffs/{handoff['id']}/claim", headers=holder, timeout=30
                )
                assert claimed.status_code == 200, claimed.text
                return int(handoff["id"])
        time.sleep(0.2)
    raise AssertionError("the handoff did not reach the queue")


def test_there_is_no_demo_agent_outside_demo_mode(running_stack: Stack) -> None:
    for password in ("demo-password", "demo"):
        response = requests.post(
            f"{running_stack.service_url}/api/agents/login", json={"username": "demo", "password": password}, timeout=30
        )
        assert response.status_code == 401


@pytest.mark.parametrize("kind", ["notes", "messages"])
def test_a_colleague_cannot_write_in_a_chat_someone_else_holds(
    running_stack: Stack, holder_and_colleague: List[Dict[str, str]], kind: str
) -> None:
    holder, colleague = holder_and_colleague
    handoff = _claimed_handoff(running_stack, holder)
    table = "handoff_notes" if kind == "notes" else "handoff_messages"
    before = rows(running_stack.database_url, table)
    refused = requests.post(
        f"{running_stack.service_url}/api/handoffs/{handoff}/{kind}",
        json={"text": "psst"},
        headers=colleague,
        timeout=30,
    )
    assert refused.status_code == 403
    assert rows(running_stack.database_url, table) == before
    allowed = requests.post(
        f"{running_stack.service_url}/api/handoffs/{handoff}/{kind}", json={"text": "noted"}, headers=holder, timeout=30
    )
    assert allowed.status_code == 201


def test_the_live_stream_takes_no_token_in_the_url(
    running_stack: Stack, holder_and_colleague: List[Dict[str, str]]
) -> None:
    token = holder_and_colleague[0]["Authorization"].split(" ", 1)[1]
    response = requests.get(f"{running_stack.service_url}/api/stream", params={"token": token}, timeout=30, stream=True)
    assert response.status_code == 401
    response.close()


def test_the_live_stream_ends_when_its_agent_logs_out(running_stack: Stack) -> None:
    headers = _agent(running_stack, f"leaver{uuid.uuid4().hex[:6]}")
    ticket = requests.post(f"{running_stack.service_url}/api/stream/ticket", headers=headers, timeout=30).json()[
        "ticket"
    ]
    stream = requests.get(f"{running_stack.service_url}/api/stream", params={"ticket": ticket}, stream=True, timeout=30)
    assert stream.status_code == 200
    received: List[bytes] = []
    ended = threading.Event()

    def read() -> None:
        for chunk in stream.iter_content(chunk_size=None):
            received.append(chunk)
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    time.sleep(0.5)
    assert (
        requests.post(f"{running_stack.service_url}/api/agents/logout", headers=headers, timeout=30).status_code == 200
    )
    assert ended.wait(10), "the stream stayed open after logout"
    assert b"session_ended" in b"".join(received)
    reused = requests.get(f"{running_stack.service_url}/api/stream", params={"ticket": ticket}, timeout=30)
    assert reused.status_code == 401
