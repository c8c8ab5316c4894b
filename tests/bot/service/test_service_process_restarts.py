"""A real `python -m bot serve` killed with SIGKILL mid-handoff: nothing the customer or agent wrote is lost or doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import requests
from rasa.core.brokers.sql import SQLEventBroker

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.records import AgentStatus
from bot.service.handoff.transcript_repository import TranscriptRepository
from bot.shared.settings import PROJECT_ROOT
from tests.support.handoff_fixtures import TEST_SECRET, StandInRasa, auth, eventually, internal
from tests.support.stack import free_port

GREETING = "Dana from our support team has joined the chat."


class ServiceProcess:
    def __init__(self, workdir: Path, rasa_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{workdir / 'shop.db'}"
        self.events_db = workdir / "events.db"
        self._log = workdir / "service.log"
        self._env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "EVENTS_DB": str(self.events_db),
            "SERVICE_PORT": str(self.port),
            "RASA_URL": rasa_url,
            "HANDOFF_SECRET": TEST_SECRET,
            "BUSINESS_HOURS": "Mon-Sun 00:00-24:00",
        }
        for name in ("DEMO_MODE", "ASSISTANT_ENV", "RABBITMQ_URL"):
            self._env.pop(name, None)
        self._child: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        with self._log.open("ab") as log:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"],
                cwd=PROJECT_ROOT,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while not self._healthy():
            if self._child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the bot service did not start:\n" + self._log.read_text()[-3000:])
            time.sleep(0.05)
        return self

    def _healthy(self) -> bool:
        try:
            return requests.get(f"{self.url}/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, whatever the service was in the middle of."""
        assert self._child is not None
        os.kill(self._child.pid, signal.SIGKILL)
        self._child.wait(10)

    def stop(self) -> None:
        if self._child is not None and self._child.poll() is None:
            self._child.terminate()
            try:
                self._child.wait(20)
            except subprocess.TimeoutExpired:
                self._child.kill()


@pytest.fixture
def stand_in() -> Iterator[StandInRasa]:
    rasa = StandInRasa().start()
    yield rasa
    rasa.close()


@pytest.fixture
def service(tmp_path: Path, stand_in: StandInRasa) -> Iterator[ServiceProcess]:
    process = ServiceProcess(tmp_path, stand_in.url)
    engine = create_handoff_engine(process.database_url)
    create_handoff_tables(engine)
    agents = AgentRepository(engine)
    agents.set_status(agents.create("dana", "Dana", "password-123", 10).id, AgentStatus.ONLINE)
    engine.dispose()
    process.start()
    yield process
    process.stop()


def _claimed_chat(service: ServiceProcess, conversation_id: str) -> Tuple[int, str]:
    token = requests.post(
        f"{service.url}/api/agents/login", json={"username": "dana", "password": "password-123"}, timeout=10
    ).json()["token"]
    opened = requests.post(
        f"{service.url}/internal/handoffs", json={"conversation_id": conversation_id}, headers=internal(), timeout=10
    )
    assert opened.status_code == 201, opened.text
    handoff_id = opened.json()["handoff_id"]
    assert (
        requests.post(f"{service.url}/api/handoffs/{handoff_id}/claim", headers=auth(token), timeout=10).status_code
        == 200
    )
    return handoff_id, token


def _lines(service: ServiceProcess, handoff_id: int) -> List[Tuple[str, str, str]]:
    engine = create_handoff_engine(service.database_url)
    try:
        return [
            (line.sender.value, line.text, line.delivery.value if line.delivery else "")
            for line in TranscriptRepository(engine).messages(handoff_id)
        ]
    finally:
        engine.dispose()


def test_customer_messages_reach_the_agent_once_across_sigkill_restarts(service: ServiceProcess) -> None:
    broker = SQLEventBroker(db=str(service.events_db))
    handoff_id, _ = _claimed_chat(service, "conv-crash")
    texts = [f"customer line {n}" for n in range(150)]
    down: List[Tuple[float, float]] = []
    sent_at: Dict[str, float] = {}

    def customer() -> None:
        for text in texts:
            sent_at[text] = time.time()
            broker.publish(
                {
                    "event": "user",
                    "sender_id": "conv-crash",
                    "text": text,
                    "timestamp": sent_at[text],
                    "message_id": f"m-{text}",
                    "parse_data": {"intent": {"name": "inform"}},
                }
            )
            time.sleep(0.02)

    writer = threading.Thread(target=customer)
    writer.start()
    rng = random.Random(9)
    for _ in range(3):
        time.sleep(rng.uniform(0.2, 0.6))
        stopped = time.time()
        service.kill()
        time.sleep(0.3)
        service.start()
        down.append((stopped, time.time()))
    writer.join()

    def customer_lines() -> List[str]:
        return [text for sender, text, _ in _lines(service, handoff_id) if sender == "customer"]

    assert eventually(lambda: len(customer_lines()) >= len(texts), 20)
    eventually(lambda: False, 1.0)  # a reader that repeated anything would have by now
    assert customer_lines() == texts
    written_while_down = [text for text in texts if any(start <= sent_at[text] <= end for start, end in down)]
    assert written_while_down, "the kills must fall while the customer is writing"
    print(
        f"\n{len(texts)} customer messages, {len(written_while_down)} written while the service was down "
        f"(3 SIGKILLs), {len(customer_lines())} in the transcript, each once"
    )


def test_agent_replies_and_a_close_queued_while_rasa_is_down_survive_a_sigkill(
    service: ServiceProcess, stand_in: StandInRasa
) -> None:
    handoff_id, token = _claimed_chat(service, "conv-outbox")
    assert eventually(lambda: stand_in.bot_texts("conv-outbox") == [GREETING])
    stand_in.stop()
    replies = ["Let me check that.", "Your parcel left the warehouse today."]
    for text in replies:
        answer = requests.post(
            f"{service.url}/api/handoffs/{handoff_id}/messages", json={"text": text}, headers=auth(token), timeout=30
        )
        assert answer.status_code == 202, answer.text
    closing = requests.post(
        f"{service.url}/api/handoffs/{handoff_id}/close",
        json={"outcome": "back_to_bot"},
        headers=auth(token),
        timeout=30,
    )
    assert closing.status_code == 202 and closing.json()["handoff"]["status"] == "closing"
    service.kill()

    stand_in.start()
    service.start()
    assert eventually(lambda: not stand_in.paused("conv-outbox") and len(stand_in.bot_texts("conv-outbox")) == 4, 20)
    eventually(lambda: False, 1.5)
    assert stand_in.bot_texts("conv-outbox") == [GREETING, *replies, "How would you rate the help you got today?"]
    assert [line for line in _lines(service, handoff_id) if line[0] == "agent"] == [
        ("agent", text, "delivered") for text in replies
    ]
    engine = create_handoff_engine(service.database_url)
    assert HandoffQueue(engine).get(handoff_id).status.value == "closed"
    engine.dispose()
