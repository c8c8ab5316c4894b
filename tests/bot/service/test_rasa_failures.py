"""The agent API while Rasa is slow, down or refusing (a stand-in on loopback records what it gets).

No 500s; the transcript says what the customer saw; a close is finished or visibly under way; replies
written while Rasa is down arrive once when it is back, even across a restart of the service.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, List

import pytest
import requests

from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    StandInRasa,
    auth,
    escalate,
    eventually,
    service_settings,
)

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
GREETING = "Dana from our support team has joined the chat."
CLOSED_NOTICE = "Dana has closed this chat. Thanks for talking to us."
NEXT_IN_LINE = "You're next in line; an agent will be with you shortly."
# longer than the service's client timeout in tests (TEST_HANDOFF_OPTIONS: 1 s)
SLOWER_THAN_THE_TIMEOUT = 1.6


def _post(service: RunningService, path: str, token: str, body: object = None) -> requests.Response:
    return requests.post(service.url + path, json=body, headers=auth(token), timeout=30)


def _get(service: RunningService, path: str, token: str) -> requests.Response:
    return requests.get(service.url + path, headers=auth(token), timeout=30)


def _active_chat(service: RunningService, token: str, stand_in: StandInRasa, conversation_id: str = "conv-1") -> int:
    handoff_id = escalate(service, conversation_id).json()["handoff_id"]
    assert _post(service, f"/api/handoffs/{handoff_id}/claim", token).status_code == 200
    assert eventually(lambda: stand_in.bot_texts(conversation_id) == [GREETING])
    return int(handoff_id)


def _place_in(notice: str) -> int:
    if notice == NEXT_IN_LINE:
        return 1
    told = re.fullmatch(r"You're now number (\d+) in the queue\.", notice)
    assert told, notice
    return int(told.group(1))


def _agent_lines(service: RunningService, handoff_id: int, token: str) -> List[tuple]:
    transcript = _get(service, f"/api/handoffs/{handoff_id}", token).json()["transcript"]
    return [(entry["text"], entry.get("delivery")) for entry in transcript if entry["sender"] == "agent"]


def test_a_slow_rasa_costs_the_agent_the_history_not_the_chat(
    service_with_rasa: RunningService, stand_in: StandInRasa, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service_with_rasa, "dana")
    handoff_id = _active_chat(service_with_rasa, dana, stand_in)
    stand_in.delay_seconds = SLOWER_THAN_THE_TIMEOUT

    detail = _get(service_with_rasa, f"/api/handoffs/{handoff_id}", dana)

    assert detail.status_code == 200, detail.text
    assert detail.json()["history_available"] is False
    assert detail.json()["handoff"]["status"] == "active"


def test_a_reply_rasa_confirms_too_late_is_in_the_transcript_and_reaches_the_customer_once(
    service_with_rasa: RunningService, stand_in: StandInRasa, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service_with_rasa, "dana")
    handoff_id = _active_chat(service_with_rasa, dana, stand_in)
    stand_in.delay_seconds = SLOWER_THAN_THE_TIMEOUT

    sent = _post(service_with_rasa, f"/api/handoffs/{handoff_id}/messages", dana, {"text": "Refund approved."})

    assert sent.status_code == 202, sent.text
    assert sent.json()["message"]["delivery"] == "pending"
    # the customer got it (the slow Rasa stored it), and the agent's transcript has it too
    assert stand_in.bot_texts("conv-1") == [GREETING, "Refund approved."]
    stand_in.delay_seconds = 0
    assert eventually(lambda: _agent_lines(service_with_rasa, handoff_id, dana) == [("Refund approved.", "delivered")])
    assert stand_in.bot_texts("conv-1") == [GREETING, "Refund approved."]


def test_a_close_rasa_does_not_confirm_is_never_left_half_done(
    service_with_rasa: RunningService, stand_in: StandInRasa, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service_with_rasa, "dana")
    handoff_id = _active_chat(service_with_rasa, dana, stand_in)
    # the closing notice and the resume go through; the hand-back intent is answered too late
    stand_in.delay_seconds, stand_in.slow_routes = SLOWER_THAN_THE_TIMEOUT, {"trigger_intent"}

    closing = _post(service_with_rasa, f"/api/handoffs/{handoff_id}/close", dana, {"outcome": "resolved"})

    assert closing.status_code == 202, closing.text
    assert closing.json()["handoff"]["status"] == "closing"
    assert CLOSED_NOTICE in stand_in.bot_texts("conv-1")
    # the customer was told it is closed, so it is no longer an active chat of dana's
    active = _get(service_with_rasa, "/api/handoffs?status=active", dana).json()["handoffs"]
    assert active == []
    again = _post(service_with_rasa, f"/api/handoffs/{handoff_id}/close", dana, {"outcome": "resolved"})
    assert again.status_code in (200, 202) and again.json()["handoff"]["status"] in ("closing", "closed")
    stand_in.delay_seconds = 0

    def closed() -> bool:
        return _get(service_with_rasa, f"/api/handoffs/{handoff_id}", dana).json()["handoff"]["status"] == "closed"

    assert eventually(closed)
    assert not stand_in.paused("conv-1")
    assert stand_in.bot_texts("conv-1").count(CLOSED_NOTICE) == 1
    assert stand_in.calls("conv-1").count("trigger_intent") == 1


def test_a_queue_notice_goes_out_only_when_a_place_changes(
    service_with_rasa: RunningService, stand_in: StandInRasa, create_agent: Callable[..., str]
) -> None:
    dana = create_agent(service_with_rasa, "dana", max_chats=10)
    ids = [escalate(service_with_rasa, f"conv-{n}").json()["handoff_id"] for n in range(6)]

    # the last in the queue first: nobody ahead of it moves; then the first: everyone behind moves
    for handoff_id in (ids[5], ids[0], ids[3]):
        assert _post(service_with_rasa, f"/api/handoffs/{handoff_id}/claim", dana).status_code == 200
        eventually(lambda: False, 0.5)  # the notices go out after the claim answered

    def positions(n: int) -> List[str]:
        return [text for text in stand_in.bot_texts(f"conv-{n}") if "queue" in text or "next in line" in text]

    # places: 1 2 3 4 5 6 -> (5 claimed) the same -> (0 claimed) 1 2 3 4 for conv-1..4 -> (3 claimed) conv-4 is 3
    assert positions(1) == [NEXT_IN_LINE]
    assert positions(2) == ["You're now number 2 in the queue."]
    assert positions(3) == ["You're now number 3 in the queue."]
    assert positions(4) == ["You're now number 4 in the queue.", "You're now number 3 in the queue."]
    assert positions(0) == positions(5) == []


def test_replies_while_rasa_is_down_arrive_once_when_it_is_back_even_after_a_restart(
    handoff_database: HandoffDatabase, tmp_path: Path, stand_in: StandInRasa, create_agent: Callable[..., str]
) -> None:
    settings = service_settings(handoff_database, tmp_path, rasa_url=stand_in.url)
    first = RunningService(settings, handoff_database.schema).start()
    try:
        dana = create_agent(first, "dana")
        handoff_id = _active_chat(first, dana, stand_in)
        stand_in.stop()
        for text in ("One moment please.", "I am checking your order."):
            queued = _post(first, f"/api/handoffs/{handoff_id}/messages", dana, {"text": text})
            assert queued.status_code == 202 and queued.json()["message"]["delivery"] == "pending"
        closing = _post(first, f"/api/handoffs/{handoff_id}/close", dana, {"outcome": "resolved"})
        assert closing.status_code == 202
    finally:
        first.stop()

    stand_in.start()
    second = RunningService(settings, handoff_database.schema).start()
    try:
        assert eventually(lambda: not stand_in.paused("conv-1") and len(stand_in.bot_texts("conv-1")) == 5)
        eventually(lambda: False, 1.5)  # more polls of the outbox: nothing goes out twice
        assert stand_in.bot_texts("conv-1") == [
            GREETING,
            "One moment please.",
            "I am checking your order.",
            CLOSED_NOTICE,
            "How would you rate the help you got today?",
        ]
        detail = _get(second, f"/api/handoffs/{handoff_id}", dana).json()
        assert detail["handoff"]["status"] == "closed" and detail["undelivered"] == []
        assert _agent_lines(second, handoff_id, dana) == [
            ("One moment please.", "delivered"),
            ("I am checking your order.", "delivered"),
        ]
    finally:
        second.stop()


def test_racing_claims_on_a_long_queue_never_repeat_a_queue_notice(
    service_with_rasa: RunningService, stand_in: StandInRasa, create_agent: Callable[..., str]
) -> None:
    waiting, agents, claims_each = 60, 4, 5
    tokens = [create_agent(service_with_rasa, f"agent{n}", max_chats=claims_each) for n in range(agents)]
    ids = [escalate(service_with_rasa, f"conv-{n}").json()["handoff_id"] for n in range(waiting)]

    def claim_from_the_front(token: str) -> int:
        won = 0
        for handoff_id in ids:
            if won == claims_each:
                break
            if _post(service_with_rasa, f"/api/handoffs/{handoff_id}/claim", token).status_code == 200:
                won += 1
        return won

    with ThreadPoolExecutor(agents) as pool:
        assert sum(pool.map(claim_from_the_front, tokens)) == agents * claims_each
    # the last notice rounds go out after the claims answered; each claim registered its round first
    service_with_rasa.call(service_with_rasa.desk.settled())

    def notices(n: int) -> List[str]:
        return [text for text in stand_in.bot_texts(f"conv-{n}") if "queue" in text or "next in line" in text]

    told = {n: notices(n) for n in range(waiting)}
    repeats = {n: len(lines) - len(set(lines)) for n, lines in told.items()}

    def claimed(n: int) -> bool:
        return any("from our support team has joined" in text for text in stand_in.bot_texts(f"conv-{n}"))

    still_waiting = [n for n in range(waiting) if not claimed(n)]
    assert len(still_waiting) == waiting - agents * claims_each
    print(
        f"\n{waiting} waiting, {agents * claims_each} racing claims: {sum(map(len, told.values()))} queue notices, "
        f"{sum(repeats.values())} repeated, most to one customer {max(map(len, told.values()))}"
    )
    assert sum(repeats.values()) == 0
    # each customer still waiting moved up 20 places from conv-n's place n + 1; they were told only places they
    # reached after it, each at most once and in the order they reached them, and the last is right
    for place, n in enumerate(still_waiting, start=1):
        places = [_place_in(notice) for notice in told[n]]
        assert places and places == sorted(set(places), reverse=True), (n, places)
        assert place <= places[-1] and places[0] <= n, (n, place, places)
        assert told[n][-1] == (f"You're now number {place} in the queue." if place > 1 else NEXT_IN_LINE)
