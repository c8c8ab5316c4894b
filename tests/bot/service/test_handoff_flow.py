"""The queue through the agent API: escalate, list, claim once, notes, refusals, restart."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
import requests
from sqlalchemy import text

from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    auth,
    escalate,
    service_settings,
)


def _get(service: RunningService, path: str, token: str) -> requests.Response:
    return requests.get(service.url + path, headers=auth(token), timeout=10)


def _post(service: RunningService, path: str, token: str, body: object = None) -> requests.Response:
    return requests.post(service.url + path, json=body, headers=auth(token), timeout=10)


def test_escalation_queues_and_exactly_one_agent_claims(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    dana, lee = create_agent(service, "dana"), create_agent(service, "lee")
    first = escalate(service, "conv-1").json()
    second = escalate(service, "conv-2", reason="damaged_goods").json()
    assert first["mode"] == "live" and first["queue_position"] == 1
    assert second["queue_position"] == 2
    assert first["agents_online"] == 2
    assert first["expected_wait_seconds"] > 0
    # a retried escalation does not queue the conversation twice
    assert escalate(service, "conv-1").json()["handoff_id"] == first["handoff_id"]

    waiting = _get(service, "/api/handoffs?status=waiting", dana).json()["handoffs"]
    assert [item["conversation_id"] for item in waiting] == ["conv-1", "conv-2"]
    assert [item["queue_position"] for item in waiting] == [1, 2]
    assert waiting[1]["reason"] == "damaged_goods"
    assert waiting[0]["channel"] == "socketio"
    assert waiting[0]["assigned_agent"] is None and waiting[0]["wait_seconds"] >= 0

    claim = _post(service, f"/api/handoffs/{first['handoff_id']}/claim", dana)
    assert claim.status_code == 200
    assert claim.json()["handoff"]["assigned_agent"]["username"] == "dana"
    refused = _post(service, f"/api/handoffs/{first['handoff_id']}/claim", lee)
    assert refused.status_code == 409 and "already been taken" in refused.json()["error"]

    active = _get(service, "/api/handoffs?status=active", lee).json()["handoffs"]
    assert [item["id"] for item in active] == [first["handoff_id"]]
    waiting = _get(service, "/api/handoffs?status=waiting", lee).json()["handoffs"]
    assert [(item["conversation_id"], item["queue_position"]) for item in waiting] == [("conv-2", 1)]


def test_notes_are_kept_and_the_context_card_is_filled(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service, "dana")
    handoff_id = escalate(service, "conv-ctx", slots={"verified": False, "order_number": "ORD-100200"}).json()[
        "handoff_id"
    ]
    assert _post(service, f"/api/handoffs/{handoff_id}/claim", dana).status_code == 200
    note = _post(service, f"/api/handoffs/{handoff_id}/notes", dana, {"text": "<b>VIP</b> customer"})
    assert note.status_code == 201
    detail = _get(service, f"/api/handoffs/{handoff_id}", dana).json()
    assert [item["text"] for item in detail["notes"]] == ["<b>VIP</b> customer"]
    assert detail["context"]["reason"] == "customer_request"
    assert detail["context"]["slots"]["order_number"] == "ORD-100200"
    assert detail["context"]["intents"] == ["greet", "order_status", "human_handoff"]
    assert detail["context"]["customer"]["verified"] is False
    # the Rasa server is not running in this test: the agent still gets the chat, and sees that the
    # greeting the claim queued has not reached the customer yet
    assert detail["history_available"] is False
    assert [(entry["sender"], entry["delivery"]) for entry in detail["transcript"]] == [("bot", "pending")]


def test_the_chat_limit_refuses_one_claim_too_many(service: RunningService, create_agent: Callable[..., str]) -> None:
    dana = create_agent(service, "dana", max_chats=1)
    ids = [escalate(service, f"conv-{n}").json()["handoff_id"] for n in range(2)]
    assert _post(service, f"/api/handoffs/{ids[0]}/claim", dana).status_code == 200
    refused = _post(service, f"/api/handoffs/{ids[1]}/claim", dana)
    assert refused.status_code == 429
    assert "most allowed" in refused.json()["error"]


def test_with_the_assistant_down_replies_and_the_close_wait_in_the_outbox(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    dana, lee = create_agent(service, "dana"), create_agent(service, "lee")
    handoff_id = escalate(service, "conv-down").json()["handoff_id"]
    not_yours = _post(service, f"/api/handoffs/{handoff_id}/messages", lee, {"text": "hi"})
    assert not_yours.status_code == 403 and "claim it first" in not_yours.json()["error"]
    _post(service, f"/api/handoffs/{handoff_id}/claim", dana)

    message = _post(service, f"/api/handoffs/{handoff_id}/messages", dana, {"text": "Hello!"})
    assert message.status_code == 202 and message.json()["message"]["delivery"] == "pending"
    close = _post(service, f"/api/handoffs/{handoff_id}/close", dana, {"outcome": "back_to_bot"})
    assert close.status_code == 202 and close.json()["handoff"]["status"] == "closing"
    late = _post(service, f"/api/handoffs/{handoff_id}/messages", dana, {"text": "one more thing"})
    assert late.status_code == 409

    detail = _get(service, f"/api/handoffs/{handoff_id}", dana).json()
    assert [(entry["sender"], entry["text"], entry["delivery"]) for entry in detail["transcript"]] == [
        ("bot", "Dana from our support team has joined the chat.", "pending"),
        ("agent", "Hello!", "pending"),
    ]
    assert detail["handoff"]["status"] == "closing"
    assert [item["kind"] for item in detail["undelivered"]] == ["message", "message", "hand_back"]
    assert all(item["last_error"] for item in detail["undelivered"][:1])


def test_a_restart_mid_handoff_loses_nothing(
    handoff_database: HandoffDatabase, tmp_path: Path, create_agent: Callable[..., str]
) -> None:
    settings = service_settings(handoff_database, tmp_path)
    first = RunningService(settings, handoff_database.schema).start()
    try:
        dana = create_agent(first, "dana")
        claimed = escalate(first, "conv-a").json()["handoff_id"]
        waiting = escalate(first, "conv-b").json()["handoff_id"]
        _post(first, f"/api/handoffs/{claimed}/claim", dana)
        _post(first, f"/api/handoffs/{claimed}/notes", dana, {"text": "refund approved"})
        first.call(
            first.desk.record_customer_message(
                "conv-a", "are you still there?", "event-1", first.desk.queue.get(claimed).claimed_at
            )
        )
    finally:
        first.stop()

    second = RunningService(settings, handoff_database.schema).start()
    try:
        # the token, the claim, the queue, notes and transcript all come back from the database
        active = _get(second, "/api/handoffs?status=active", dana).json()["handoffs"]
        assert [(item["id"], item["assigned_agent"]["username"]) for item in active] == [(claimed, "dana")]
        queued = _get(second, "/api/handoffs?status=waiting", dana).json()["handoffs"]
        assert [(item["id"], item["queue_position"]) for item in queued] == [(waiting, 1)]
        detail = _get(second, f"/api/handoffs/{claimed}", dana).json()
        assert [note["text"] for note in detail["notes"]] == ["refund approved"]
        customer = [entry["text"] for entry in detail["transcript"] if entry["sender"] == "customer"]
        assert customer == ["are you still there?"]
        # the same broker event delivered again after the restart is not stored twice
        assert not second.call(
            second.desk.record_customer_message(
                "conv-a", "are you still there?", "event-1", second.desk.queue.get(claimed).claimed_at
            )
        )
    finally:
        second.stop()


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_the_context_card_shows_the_verified_customers_orders(
    handoff_database: HandoffDatabase, service: RunningService, create_agent: Callable[..., str]
) -> None:
    from bot.demo.seed import build_demo_store
    from bot.shared.database import create_store_engine

    store_engine = create_store_engine(handoff_database.url)
    build_demo_store(store_engine)
    with store_engine.connect() as connection:
        email = connection.execute(
            text("SELECT c.email FROM customers c JOIN orders o ON o.customer_id = c.id LIMIT 1")
        ).scalar_one()
    store_engine.dispose()
    dana = create_agent(service, "dana")
    verified = escalate(
        service, "conv-verified", slots={"verified": True, "email": email, "customer_id": "C-1"}
    ).json()["handoff_id"]
    unverified = escalate(service, "conv-guest", slots={"email": email}).json()["handoff_id"]

    customer = _get(service, f"/api/handoffs/{verified}", dana).json()["context"]["customer"]
    assert customer["verified"] is True and customer["email"] == email
    assert customer["orders"] and all(order["number"].startswith("ORD-") for order in customer["orders"])
    # an email typed by someone who has not proved who they are shows no orders
    guest = _get(service, f"/api/handoffs/{unverified}", dana).json()["context"]["customer"]
    assert guest["verified"] is False and guest["orders"] is None


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_the_context_card_shows_failed_verifications_of_the_order(
    handoff_database: HandoffDatabase, service: RunningService, create_agent: Callable[..., str]
) -> None:
    from bot.demo.seed import build_demo_store
    from bot.shared.database import create_store_engine
    from bot.store.verification_attempts import VerificationAttempts

    store_engine = create_store_engine(handoff_database.url)
    build_demo_store(store_engine)
    attempts = VerificationAttempts(store_engine)
    for conversation in ("probe-1", "probe-2", "probe-3", "probe-4", "probe-5"):
        attempts.record_failure("ORD-100002", conversation)
    store_engine.dispose()
    dana = create_agent(service, "dana")
    probed = escalate(service, "conv-probed", slots={"order_number": "ORD-100002"}).json()["handoff_id"]
    calm = escalate(service, "conv-calm", slots={"order_number": "ORD-100003"}).json()["handoff_id"]

    verification = _get(service, f"/api/handoffs/{probed}", dana).json()["context"]["customer"]["verification"]
    assert verification["order_number"] == "ORD-100002"
    assert verification["failed_attempts"] == 5 and verification["locked"] is True
    untouched = _get(service, f"/api/handoffs/{calm}", dana).json()["context"]["customer"]["verification"]
    assert untouched["failed_attempts"] == 0 and untouched["locked"] is False
