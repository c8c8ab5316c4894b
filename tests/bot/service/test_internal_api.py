"""The routes the action server calls: escalation in and out of hours, messages left, ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
import requests

from bot.service.handoff.records import HandoffStatus
from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    auth,
    escalate,
    internal,
    service_settings,
)

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)


@pytest.fixture
def closed_service(handoff_database: HandoffDatabase, tmp_path: Path) -> Iterator[RunningService]:
    """Open one minute a week, at a time no test run will ever hit."""
    settings = service_settings(handoff_database, tmp_path, business_hours="Sun 03:00-03:01")
    running = RunningService(settings, handoff_database.schema).start()
    yield running
    running.stop()


def test_the_shared_secret_is_required(service: RunningService) -> None:
    for headers in ({}, {"X-Handoff-Secret": "guess"}):
        response = requests.post(
            f"{service.url}/internal/handoffs",
            json={"conversation_id": "c"},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == 401


def test_with_nobody_online_the_customer_is_offered_to_leave_a_message(service: RunningService) -> None:
    answer = escalate(service, "conv-lonely").json()
    assert answer["mode"] == "offline"
    assert answer["offline_reason"] == "no_agents"
    assert answer["reply_by"] == "within one working day"
    assert "handoff_id" not in answer


def test_outside_business_hours_the_reply_time_names_the_next_opening(
    closed_service: RunningService, create_agent: Callable[..., str]
) -> None:
    create_agent(closed_service, "dana")
    answer = escalate(closed_service, "conv-night").json()
    assert answer["mode"] == "offline" and answer["offline_reason"] == "closed"
    assert answer["next_opening"].endswith("03:00:00+00:00")
    assert answer["reply_by"].startswith("after we open on Sunday at 03:00")


def test_a_message_left_becomes_a_ticket_in_the_queue(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service, "dana")
    body = {
        "conversation_id": "conv-ticket",
        "channel": "socketio",
        "reason": "charge_dispute",
        "email": "kim@example.com",
        "message": "I was charged twice <script>",
    }
    created = requests.post(f"{service.url}/internal/tickets", json=body, headers=internal(), timeout=10)
    assert created.status_code == 201
    waiting = requests.get(f"{service.url}/api/handoffs?status=waiting", headers=auth(dana), timeout=10).json()[
        "handoffs"
    ]
    assert [
        (item["kind"], item["customer_email"], item["customer_message"], item["queue_position"]) for item in waiting
    ] == [("ticket", "kim@example.com", "I was charged twice <script>", None)]
    bad = requests.post(
        f"{service.url}/internal/tickets", json={**body, "email": "not-an-email"}, headers=internal(), timeout=10
    )
    assert bad.status_code == 400


def test_ratings_are_stored_against_the_last_handoff_and_its_agent(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service, "dana")
    handoff_id = escalate(service, "conv-rated").json()["handoff_id"]
    requests.post(f"{service.url}/api/handoffs/{handoff_id}/claim", headers=auth(dana), timeout=10)
    stored = requests.post(
        f"{service.url}/internal/ratings",
        json={"conversation_id": "conv-rated", "rating": 5, "comment": "quick and kind"},
        headers=internal(),
        timeout=10,
    )
    assert stored.status_code == 201 and stored.json()["handoff_id"] == handoff_id
    ratings = service.desk.transcripts.ratings("conv-rated")
    assert [(r.score, r.comment, r.agent_id is not None) for r in ratings] == [(5, "quick and kind", True)]
    for wrong in (0, 6, "five", True):
        refused = requests.post(
            f"{service.url}/internal/ratings",
            json={"conversation_id": "conv-rated", "rating": wrong},
            headers=internal(),
            timeout=10,
        )
        assert refused.status_code == 400, wrong
    assert len(service.desk.transcripts.ratings("conv-rated")) == 1


@pytest.mark.parametrize("secret", ["", "   "])
def test_an_unset_secret_refuses_every_internal_call(
    handoff_database: HandoffDatabase, tmp_path: Path, secret: str
) -> None:
    settings = service_settings(handoff_database, tmp_path, handoff_secret=secret)
    running = RunningService(settings, handoff_database.schema).start()
    try:
        for path in ["/internal/handoffs", "/internal/tickets", "/internal/ratings"]:
            # an empty header equals an empty secret, and still does not pass
            for headers in ({}, {"X-Handoff-Secret": ""}, {"X-Handoff-Secret": "anything"}):
                response = requests.post(running.url + path, json={"conversation_id": "c"}, headers=headers, timeout=10)
                assert response.status_code == 401, (path, headers, response.text)
                assert "HANDOFF_SECRET is not set" in response.json()["error"]
        assert running.desk.queue.list(HandoffStatus.WAITING) == []
    finally:
        running.stop()


def test_a_secret_header_that_is_not_ascii_is_refused_not_a_crash(service: RunningService) -> None:
    for value in ["h\u00e9ndoff-test-secret", "\u00e9".encode("utf-8"), b"\xff\xfe", b"handoff-test-secret\xe9"]:
        response = requests.post(
            f"{service.url}/internal/handoffs",
            json={"conversation_id": "c"},
            headers={"X-Handoff-Secret": value},
            timeout=10,
        )
        assert response.status_code == 401, (value, response.text)
    assert escalate(service, "still-works").status_code == 201
