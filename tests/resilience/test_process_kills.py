"""kill -9 of each process under `python -m bot run`, during a handoff and during a cancellation: nothing accepted
is lost or doubled, refusals are retriable, and an order changes all or not at all.

The bot service is killed here only while the customer writes through the real Rasa server; its own
exactly-once reading of the broker across kills, and a close cut off by a kill, are
tests/bot/service/test_service_process_restarts.py. A cancellation never reaches the bot service.
The figures go to results/process_kills.json.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import requests

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.service.handoff.transcript_repository import TranscriptRepository
from bot.shared.settings import PROJECT_ROOT
from tests.security.attacker import sqlite_path
from tests.support.rest_chat import new_sender
from tests.support.supervised_stack import SupervisedStack, start_supervised_stack

RESULTS = PROJECT_ROOT / "results" / "process_kills.json"
KILLED = ["Rasa server", "action server"]
KILLED_DURING_A_HANDOFF = [*KILLED, "bot service"]
SEND_INTERVAL = 0.2
# The kill comes after a few messages went through normally.
KILL_AT_MESSAGE = 5
# Messages after the restart, to see the conversation go on.
AFTER_RESTART = 5
# Seconds between the customer's "yes" and the kill: before, while and just after the action runs (the
# whole answer takes about a tenth of a second on an idle machine).
KILL_DELAYS = (0.0, 0.03, 0.07, 0.15)
FIGURES: Dict[str, Any] = {}


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SupervisedStack]:
    running = start_supervised_stack(tmp_path_factory.mktemp("supervised"), {"AGENT_MAX_CHATS": "20"})
    try:
        yield running
    finally:
        running.stop()
        if FIGURES:
            RESULTS.parent.mkdir(exist_ok=True)
            RESULTS.write_text(json.dumps(FIGURES, indent=2) + "\n")


@pytest.fixture(scope="module")
def agent(supervised: SupervisedStack) -> Dict[str, str]:
    stack = supervised.stack
    username, password = f"kills{uuid.uuid4().hex[:6]}", f"password-{uuid.uuid4().hex}"
    engine = create_handoff_engine(stack.database_url)
    try:
        create_handoff_tables(engine)
        AgentRepository(engine).create(username, "Kim", password, 20)
    finally:
        engine.dispose()
    token = requests.post(
        f"{stack.service_url}/api/agents/login", json={"username": username, "password": password}, timeout=30
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        requests.post(
            f"{stack.service_url}/api/agents/me/status", json={"status": "online"}, headers=headers, timeout=30
        ).status_code
        == 200
    )
    return headers


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    status: Optional[int]  # None: no connection, or no answer in time
    texts: Tuple[str, ...] = ()


def post(supervised: SupervisedStack, sender: str, text: str, timeout: float = 60) -> Outcome:
    stack = supervised.stack
    try:
        response = requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers=stack.rest_headers,
            timeout=timeout,
        )
    except requests.RequestException:
        return Outcome(False, None)
    if response.status_code != 200:
        return Outcome(False, response.status_code)
    return Outcome(True, 200, tuple(message.get("text", "") for message in response.json()))


def eventually(condition: Any, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return bool(condition())


def claimed_handoff(supervised: SupervisedStack, agent: Dict[str, str], sender: str) -> int:
    service = supervised.stack.service_url
    assert post(supervised, sender, "I want to talk to a human").accepted
    found: List[int] = []

    def waiting() -> bool:
        answer = requests.get(f"{service}/api/handoffs", params={"status": "waiting"}, headers=agent, timeout=30)
        found.extend(h["id"] for h in answer.json()["handoffs"] if h["conversation_id"] == f"rest-{sender}")
        return bool(found)

    assert eventually(waiting, 30), "the handoff did not reach the queue"
    claimed = requests.post(f"{service}/api/handoffs/{found[0]}/claim", headers=agent, timeout=30)
    assert claimed.status_code == 200, claimed.text
    return found[0]


def customer_lines(supervised: SupervisedStack, handoff_id: int) -> List[str]:
    engine = create_handoff_engine(supervised.stack.database_url)
    try:
        return [
            line.text for line in TranscriptRepository(engine).messages(handoff_id) if line.sender.value == "customer"
        ]
    finally:
        engine.dispose()


def bot_texts(supervised: SupervisedStack, conversation_id: str) -> List[str]:
    stack = supervised.stack
    tracker = requests.get(
        stack.tracker_url(conversation_id), params={"include_events": "ALL"}, headers=stack.rasa_api_headers, timeout=30
    ).json()
    return [event.get("text") for event in tracker["events"] if event.get("event") == "bot"]


@dataclass
class CrashRun:
    """The customer's messages around one kill, and what became of each on the first try."""

    outcomes: Dict[str, Outcome] = field(default_factory=dict)
    refused_statuses: List[Optional[int]] = field(default_factory=list)
    agent_replies: List[str] = field(default_factory=list)
    restarted_after: float = 0.0
    sent_while_down: int = 0


def write_through_a_crash(
    supervised: SupervisedStack, name: str, sender: str, handoff_id: int, agent: Dict[str, str]
) -> CrashRun:
    run = CrashRun()
    killed_pid: Optional[int] = None
    killed_at = 0.0
    restarted_at: Optional[int] = None
    for number in range(400):
        if number == KILL_AT_MESSAGE:
            killed_pid = supervised.kill(name)
            killed_at = time.monotonic()
        text = f"message {number} while the {name} is killed"
        outcome = post(supervised, sender, text, timeout=30)
        run.outcomes[text] = outcome
        if not outcome.accepted:
            run.refused_statuses.append(outcome.status)
            if name == "Rasa server" and not run.agent_replies:
                # The agent answers while Rasa is down: the reply waits in the outbox.
                for reply in (f"agent reply {n} while Rasa is down ({uuid.uuid4().hex[:6]})" for n in range(2)):
                    sent = requests.post(
                        f"{supervised.stack.service_url}/api/handoffs/{handoff_id}/messages",
                        json={"text": reply},
                        headers=agent,
                        timeout=30,
                    )
                    assert sent.status_code in (201, 202), sent.text
                    run.agent_replies.append(reply)
        if killed_pid is not None and restarted_at is None:
            pid = supervised.child_pid(name)
            if pid is not None and pid != killed_pid and supervised.ready(name):
                restarted_at = number
                run.restarted_after = time.monotonic() - killed_at
                run.sent_while_down = number - KILL_AT_MESSAGE
        if restarted_at is not None and number >= restarted_at + AFTER_RESTART:
            return run
        time.sleep(SEND_INTERVAL)
    raise AssertionError(f"the {name} did not come back:\n" + supervised.log_tail())


@pytest.mark.parametrize("name", KILLED_DURING_A_HANDOFF)
def test_customer_messages_around_a_kill_reach_the_agent_exactly_once(
    supervised: SupervisedStack, agent: Dict[str, str], name: str
) -> None:
    sender = new_sender("kill-handoff")
    handoff_id = claimed_handoff(supervised, agent, sender)
    run = write_through_a_crash(supervised, name, sender, handoff_id, agent)
    texts = list(run.outcomes)
    # Refusals are retriable: no connection while the port is closed, or 502/503, never a 500.
    assert all(status is None or status in (502, 503) for status in run.refused_statuses), run.refused_statuses
    # A customer's client sends a refused message again once the assistant answers.
    retried = [text for text, outcome in run.outcomes.items() if not outcome.accepted]
    for text in retried:
        assert post(supervised, sender, text).accepted, f"{text!r} was refused after the restart"

    assert eventually(lambda: set(texts) <= set(customer_lines(supervised, handoff_id)), 60), set(texts) - set(
        customer_lines(supervised, handoff_id)
    )
    time.sleep(1.0)  # a reader that repeated anything would have by now
    delivered = [line for line in customer_lines(supervised, handoff_id) if line in run.outcomes]
    assert sorted(delivered) == sorted(texts), "each message reaches the agent exactly once"
    first_try = [text for text in texts if run.outcomes[text].accepted]
    assert delivered == first_try + retried, "and in the order the assistant accepted them"
    replies_delivered: List[str] = []
    if run.agent_replies:
        conversation = f"rest-{sender}"
        assert eventually(lambda: all(r in bot_texts(supervised, conversation) for r in run.agent_replies), 60)
        time.sleep(1.0)
        replies_delivered = [t for t in bot_texts(supervised, conversation) if t in run.agent_replies]
        assert replies_delivered == run.agent_replies, "each agent reply reaches the customer once, in order"
    accepted_first = sum(outcome.accepted for outcome in run.outcomes.values())
    FIGURES[f"handoff, {name} killed"] = {
        "customer_messages_sent": len(texts),
        "sent_while_the_process_was_down": run.sent_while_down,
        "accepted_first_try": accepted_first,
        "refused_first_try_retriable": len(retried),
        "delivered_to_agent": len(delivered),
        "delivered_twice": len(delivered) - len(set(delivered)),
        "seconds_until_restarted": round(run.restarted_after, 1),
        "agent_replies_sent_while_down": len(run.agent_replies),
        "agent_replies_delivered_to_customer": len(replies_delivered),
    }
    if name != "Rasa server":
        # A paused conversation needs no action, and the bot service reads the broker after its restart:
        # the customer never notices either of them is gone.
        assert retried == []


def processing_orders(supervised: SupervisedStack, count: int, skip: int) -> List[Tuple[str, str]]:
    with sqlite3.connect(sqlite_path(supervised.stack.database_url)) as connection:
        return connection.execute(
            "SELECT o.number, c.email FROM orders o JOIN customers c ON c.id = o.customer_id "
            "WHERE o.status = 'processing' ORDER BY o.number LIMIT ? OFFSET ?",
            (count, skip),
        ).fetchall()


def order_rows(supervised: SupervisedStack, number: str) -> Dict[str, Any]:
    """Everything a cancellation writes: the order's status and its refunds, and the payments refunded."""
    with sqlite3.connect(sqlite_path(supervised.stack.database_url)) as connection:
        order_id, status = connection.execute("SELECT id, status FROM orders WHERE number = ?", (number,)).fetchone()
        refunds = connection.execute(
            "SELECT payment_id, amount_cents, reason FROM refunds WHERE order_id = ? ORDER BY id", (order_id,)
        ).fetchall()
        captured = connection.execute(
            "SELECT p.id, p.amount_cents FROM payments p JOIN invoices i ON i.id = p.invoice_id "
            "WHERE i.order_id = ? AND p.status = 'captured' ORDER BY p.id",
            (order_id,),
        ).fetchall()
    return {"status": status, "refunds": refunds, "captured": captured}


def fully_cancelled(before: Dict[str, Any], after: Dict[str, Any]) -> bool:
    new_refunds = after["refunds"][len(before["refunds"]) :]
    expected = [(payment_id, amount, "Order cancelled by the customer") for payment_id, amount in before["captured"]]
    return (
        after["status"] == "cancelled"
        and after["refunds"][: len(before["refunds"])] == before["refunds"]
        and (new_refunds == expected)
    )


def finish_cancelling(supervised: SupervisedStack, sender: str, number: str, email: str) -> List[str]:
    """What a customer does after a failure: asks again, answering each question, until the assistant says how it is."""
    said = f"cancel my order {number}"
    for _ in range(6):
        outcome = post(supervised, sender, said)
        assert outcome.accepted, f"{said!r} got {outcome.status} after the restart"
        reply = " ".join(outcome.texts)
        if "is cancelled" in reply or "already been cancelled" in reply:
            return list(outcome.texts)
        said = (
            email
            if "email address" in reply
            else "yes"
            if "Do you want me to cancel it?" in reply
            else (f"cancel my order {number}")
        )
    raise AssertionError(f"the conversation about {number} did not come to an end")


@pytest.mark.parametrize("name", KILLED)
def test_a_cancellation_cut_off_by_a_kill_changes_the_order_all_or_nothing(
    supervised: SupervisedStack, name: str
) -> None:
    cases = []
    for delay, (number, email) in zip(
        KILL_DELAYS, processing_orders(supervised, len(KILL_DELAYS), KILLED.index(name) * 10), strict=True
    ):
        sender = new_sender("kill-cancel")
        assert "email address" in " ".join(post(supervised, sender, f"cancel my order {number}").texts)
        assert "Do you want me to cancel it?" in " ".join(post(supervised, sender, email).texts)
        before = order_rows(supervised, number)
        answer: List[Outcome] = []
        confirming = threading.Thread(
            target=lambda answer=answer, sender=sender: answer.append(post(supervised, sender, "yes", timeout=90))
        )
        confirming.start()
        time.sleep(delay)
        killed_pid = supervised.kill(name)
        confirming.join(120)
        supervised.wait_restarted(name, killed_pid)
        after = order_rows(supervised, number)
        told = " ".join(answer[0].texts) if answer and answer[0].accepted else ""

        assert after == before or fully_cancelled(before, after), (number, before, after)
        if "is cancelled" in told:
            assert fully_cancelled(before, after), f"{number}: told it is cancelled, but it is not"
        if "haven't changed anything" in told or "can't cancel" in told:
            assert after == before, f"{number}: told nothing changed, but it did"
        assert answer and (answer[0].accepted or answer[0].status in (None, 502, 503)), answer

        final = finish_cancelling(supervised, sender, number, email)
        assert fully_cancelled(before, order_rows(supervised, number)), "asking again cancels it exactly once"
        assert any("cancelled" in text for text in final), final
        cases.append(
            {
                "kill_after_seconds": delay,
                "order_changed_by_the_cut_off_call": after != before,
                "customer_was_told": "cancelled" if "is cancelled" in told else (told[:60] or "no answer"),
            }
        )
    FIGURES[f"cancellation, {name} killed"] = cases
