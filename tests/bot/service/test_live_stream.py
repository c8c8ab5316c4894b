"""The console's server-sent event stream announces new handoffs and claims as they happen."""
from __future__ import annotations

import json
import queue
import threading
from typing import Callable, Dict, Iterator

import pytest
import requests

from tests.support.handoff_fixtures import RunningService, auth, escalate

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)


def _events(service: RunningService, token: str, received: "queue.Queue[Dict]", stop: threading.Event) -> None:
    try:
        with requests.get(f"{service.url}/api/stream", params={"token": token}, stream=True, timeout=30) as response:
            kind = None
            for line in response.iter_lines(decode_unicode=True):
                if stop.is_set():
                    return
                if line.startswith("event: "):
                    kind = line[len("event: "):]
                elif line.startswith("data: "):
                    received.put({"type": kind, "data": json.loads(line[len("data: "):])})
    except requests.RequestException:
        # the service stops at the end of the test with the stream still open
        return


@pytest.fixture
def listen(service: RunningService) -> Iterator[Callable[[str], "queue.Queue[Dict]"]]:
    stop = threading.Event()

    def start(token: str) -> "queue.Queue[Dict]":
        received: "queue.Queue[Dict]" = queue.Queue()
        threading.Thread(target=_events, args=(service, token, received, stop), daemon=True).start()
        assert received.get(timeout=10)["type"] == "ready"
        return received

    yield start
    stop.set()


def test_new_and_claimed_handoffs_are_pushed_to_consoles(
    service: RunningService, create_agent: Callable[..., str], listen: Callable
) -> None:
    dana = create_agent(service, "dana")
    received = listen(dana)
    handoff_id = escalate(service, "conv-live").json()["handoff_id"]
    opened = received.get(timeout=10)
    assert opened["type"] == "handoff_opened"
    assert opened["data"]["handoff"]["id"] == handoff_id
    assert opened["data"]["handoff"]["queue_position"] == 1

    requests.post(f"{service.url}/api/handoffs/{handoff_id}/claim", headers=auth(dana), timeout=10)
    claimed = received.get(timeout=10)
    assert claimed["type"] == "handoff_claimed"
    assert claimed["data"]["handoff"]["assigned_agent"]["username"] == "dana"
