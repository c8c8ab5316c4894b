"""The console's event stream: opened with a one-time ticket, live updates, and it ends with its token."""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Callable, Dict, Iterator, Optional

import pytest
import requests
from sqlalchemy import update

from bot.service.handoff import tables as schema
from bot.service.handoff.passwords import token_digest
from bot.shared.clock import utc_now
from tests.support.handoff_fixtures import RunningService, auth, escalate

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
END = {"type": "(stream closed)"}


def ticket_for(service: RunningService, token: str) -> str:
    response = requests.post(f"{service.url}/api/stream/ticket", headers=auth(token), timeout=10)
    assert response.status_code == 201, response.text
    assert response.json()["expires_in_seconds"] == 30
    return response.json()["ticket"]


def _events(
    service: RunningService, params: Dict[str, str], received: queue.Queue[Dict], stop: threading.Event
) -> None:
    try:
        with requests.get(f"{service.url}/api/stream", params=params, stream=True, timeout=30) as response:
            if response.status_code != 200:
                received.put({"type": "(refused)", "status": response.status_code, "data": response.json()})
                return
            kind = None
            for line in response.iter_lines(decode_unicode=True):
                if stop.is_set():
                    return
                if line.startswith("event: "):
                    kind = line[len("event: ") :]
                elif line.startswith("data: "):
                    received.put({"type": kind, "data": json.loads(line[len("data: ") :])})
        received.put(END)
    except requests.RequestException:
        # the service stops at the end of the test with the stream still open
        return


@pytest.fixture
def listen(service: RunningService) -> Iterator[Callable[..., queue.Queue[Dict]]]:
    stop = threading.Event()

    def start(token: Optional[str] = None, params: Optional[Dict[str, str]] = None) -> queue.Queue[Dict]:
        received: queue.Queue[Dict] = queue.Queue()
        arguments = params if params is not None else {"ticket": ticket_for(service, token or "")}
        threading.Thread(target=_events, args=(service, arguments, received, stop), daemon=True).start()
        return received

    yield start
    stop.set()


def next_of_kind(received: queue.Queue[Dict], kind: str, timeout: float = 10) -> Dict:
    deadline = time.monotonic() + timeout
    while True:
        event = received.get(timeout=max(0.01, deadline - time.monotonic()))
        if event["type"] == kind:
            return event


def test_new_and_claimed_handoffs_are_pushed_to_consoles(
    service: RunningService, create_agent: Callable[..., str], listen: Callable
) -> None:
    dana = create_agent(service, "dana")
    received = listen(dana)
    assert received.get(timeout=10)["type"] == "ready"
    handoff_id = escalate(service, "conv-live").json()["handoff_id"]
    opened = received.get(timeout=10)
    assert opened["type"] == "handoff_opened"
    assert opened["data"]["handoff"]["id"] == handoff_id
    assert opened["data"]["handoff"]["queue_position"] == 1

    requests.post(f"{service.url}/api/handoffs/{handoff_id}/claim", headers=auth(dana), timeout=10)
    claimed = received.get(timeout=10)
    assert claimed["type"] == "handoff_claimed"
    assert claimed["data"]["handoff"]["assigned_agent"]["username"] == "dana"


def test_a_ticket_opens_one_stream_once(
    service: RunningService, create_agent: Callable[..., str], listen: Callable
) -> None:
    dana = create_agent(service, "dana")
    ticket = ticket_for(service, dana)
    assert listen(params={"ticket": ticket}).get(timeout=10)["type"] == "ready"
    again = listen(params={"ticket": ticket}).get(timeout=10)
    assert again["type"] == "(refused)" and again["status"] == 401
    assert "ticket" in again["data"]["error"]


def test_tokens_in_the_url_and_made_up_tickets_are_refused(
    service: RunningService, create_agent: Callable[..., str], listen: Callable
) -> None:
    dana = create_agent(service, "dana")
    for params in ({"token": dana}, {"ticket": "made-up"}, {"ticket": dana}, {}):
        refused = listen(params=params).get(timeout=10)
        assert refused["type"] == "(refused)" and refused["status"] == 401, params
        assert refused["data"]["error"]
    assert "do not go in URLs" in listen(params={"token": dana}).get(timeout=10)["data"]["error"]
    ticket = requests.post(f"{service.url}/api/stream/ticket", headers=auth("not-a-token"), timeout=10)
    assert ticket.status_code == 401


def test_a_ticket_expires_after_its_lifetime(
    service: RunningService, create_agent: Callable[..., str], listen: Callable
) -> None:
    from bot.service.stream_tickets import StreamTickets

    now = [100.0]
    service.app.ctx.stream_tickets = StreamTickets(clock=lambda: now[0])
    ticket = ticket_for(service, create_agent(service, "dana"))
    now[0] += 30.5
    refused = listen(params={"ticket": ticket}).get(timeout=10)
    assert refused["type"] == "(refused)" and refused["status"] == 401


def test_logging_out_ends_that_tokens_streams_at_once(
    service: RunningService, create_agent: Callable[..., str], listen: Callable
) -> None:
    dana, lee = create_agent(service, "dana"), create_agent(service, "lee")
    dana_streams = [listen(dana), listen(dana)]
    lee_stream = listen(lee)
    for received in [*dana_streams, lee_stream]:
        assert received.get(timeout=10)["type"] == "ready"

    started = time.monotonic()
    assert requests.post(f"{service.url}/api/agents/logout", headers=auth(dana), timeout=10).status_code == 200
    for received in dana_streams:
        ended = next_of_kind(received, "session_ended")
        assert ended["data"]["reason"] == "logged_out"
        assert received.get(timeout=5) == END
    assert time.monotonic() - started < 5, "well before the next heartbeat"
    assert service.app.ctx.stream_sessions.open_count(dana) == 0

    # another agent's stream is not touched
    escalate(service, "conv-after-logout")
    assert next_of_kind(lee_stream, "handoff_opened")["data"]["handoff"]["conversation_id"] == "conv-after-logout"


def test_an_expired_token_ends_its_stream_at_the_next_heartbeat(
    service: RunningService,
    create_agent: Callable[..., str],
    listen: Callable,
) -> None:
    service.app.ctx.stream_heartbeat_seconds = 0.3
    dana = create_agent(service, "dana")
    received = listen(dana)
    assert received.get(timeout=10)["type"] == "ready"
    engine = service.desk.engine
    with engine.begin() as connection:
        connection.execute(
            update(schema.agent_tokens)
            .where(schema.agent_tokens.c.token_hash == token_digest(dana))
            .values(expires_at=utc_now())
        )
    ended = next_of_kind(received, "session_ended", timeout=5)
    assert ended["data"]["reason"] == "expired"
    assert received.get(timeout=5) == END


def test_heartbeats_mark_the_agent_present_even_while_updates_keep_coming(
    service: RunningService,
    create_agent: Callable[..., str],
    listen: Callable,
) -> None:
    service.app.ctx.stream_heartbeat_seconds = 0.5
    dana = create_agent(service, "dana")
    received = listen(dana)
    assert received.get(timeout=10)["type"] == "ready"
    agent = service.desk.agents.agent_for_token(dana)
    before = service.desk.agents.get(agent.id).last_seen_at
    # an update every 0.2 s: more often than the heartbeat, which must still happen
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        service.call(_publish(service))
        time.sleep(0.2)
    assert service.desk.agents.get(agent.id).last_seen_at > before


async def _publish(service: RunningService) -> None:
    service.desk.live.publish("agent_status", agent_id=0, status="away")
