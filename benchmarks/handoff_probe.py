"""Times a handoff end to end: a customer on the web chat socket asks for a human, an agent answers."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Dict, List

from benchmarks.context import RunContext
from benchmarks.latency_summary import latency_summary
from benchmarks.results import PartResult
from benchmarks.serving.project_stack import ServingTuning, start_project_stack, train_project_model

SAMPLES = 5
QUICK_SAMPLES = 1
POLL_INTERVAL_SECONDS = 0.02
WAIT_LIMIT_SECONDS = 30.0
ESCALATION_TEXT = "I want to talk to a human"
DEMO_USERNAME, DEMO_PASSWORD = "demo", "demo-password"


class HandoffProbeFailed(RuntimeError):
    """A step of the handoff did not happen within the wait limit."""


async def _agent_session(http, service_url: str) -> Dict[str, str]:
    async with http.post(
        f"{service_url}/api/agents/login", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    ) as response:
        if response.status != 200:
            raise HandoffProbeFailed(f"agent login answered {response.status}")
        headers = {"Authorization": f"Bearer {(await response.json())['token']}"}
    async with http.post(f"{service_url}/api/agents/me/status", json={"status": "online"}, headers=headers):
        pass
    return headers


async def _wait_for_handoff(http, service_url: str, headers: Dict[str, str], conversation_id: str) -> int:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while time.monotonic() < deadline:
        async with http.get(f"{service_url}/api/handoffs", params={"status": "waiting"}, headers=headers) as response:
            for handoff in (await response.json()).get("handoffs", []):
                if handoff.get("conversation_id") == conversation_id:
                    return int(handoff["id"])
        await asyncio.sleep(POLL_INTERVAL_SECONDS)
    raise HandoffProbeFailed(f"no handoff for {conversation_id} in the agent API after {WAIT_LIMIT_SECONDS:.0f} s")


async def _one_sample(http, rasa_url: str, service_url: str, headers: Dict[str, str]) -> Dict[str, float]:
    import socketio

    received: asyncio.Queue[str] = asyncio.Queue()
    client = socketio.AsyncClient()
    client.on("bot_uttered", lambda data: received.put_nowait(str((data or {}).get("text", ""))))
    confirmed = asyncio.Event()
    client.on("session_confirm", lambda _data: confirmed.set())
    session_id = uuid.uuid4().hex
    # Long-polling: python-socketio 5.18's websocket client needs a newer aiohttp than Rasa 3.6 pins.
    await client.connect(rasa_url, socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), WAIT_LIMIT_SECONDS)
        escalated_at = time.perf_counter()
        await client.emit("user_uttered", {"message": ESCALATION_TEXT, "session_id": session_id})
        handoff_id = await _wait_for_handoff(http, service_url, headers, session_id)
        queued_ms = (time.perf_counter() - escalated_at) * 1000
        async with http.post(f"{service_url}/api/handoffs/{handoff_id}/claim", headers=headers) as response:
            if response.status != 200:
                raise HandoffProbeFailed(f"claim answered {response.status}: {await response.text()}")
        while not received.empty():
            received.get_nowait()
        marker = f"Hello, agent here ({uuid.uuid4().hex[:8]})"
        sent_at = time.perf_counter()
        async with http.post(
            f"{service_url}/api/handoffs/{handoff_id}/messages", json={"text": marker}, headers=headers
        ) as response:
            if response.status != 201:
                raise HandoffProbeFailed(f"agent message answered {response.status}: {await response.text()}")
        deadline = time.monotonic() + WAIT_LIMIT_SECONDS
        while True:
            text = await asyncio.wait_for(received.get(), max(0.1, deadline - time.monotonic()))
            if marker in text:
                break
        delivered_ms = (time.perf_counter() - sent_at) * 1000
        async with http.post(
            f"{service_url}/api/handoffs/{handoff_id}/close", json={"outcome": "resolved"}, headers=headers
        ):
            pass
        return {"queued_ms": queued_ms, "delivered_ms": delivered_ms}
    finally:
        await client.disconnect()


async def _measure(rasa_url: str, service_url: str, samples: int) -> List[Dict[str, float]]:
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WAIT_LIMIT_SECONDS)) as http:
        headers = await _agent_session(http, service_url)
        return [await _one_sample(http, rasa_url, service_url, headers) for _ in range(samples)]


def measure_handoffs(context: RunContext) -> PartResult:
    from bot.service.handoff.demo_agent import ensure_demo_agent

    model_path, _, _ = train_project_model(context.workdir / "serving", context.quick)
    group, settings = start_project_stack(context.workdir / "handoff", model_path, ServingTuning(name="as configured"))
    try:
        ensure_demo_agent(settings)
        samples = asyncio.run(
            _measure(settings.rasa_url, settings.service_url, QUICK_SAMPLES if context.quick else SAMPLES)
        )
    finally:
        group.stop()
    return {
        "timings": [
            latency_summary(
                "customer asks for a human -> handoff listed in GET /api/handoffs", [s["queued_ms"] for s in samples]
            ),
            latency_summary(
                "agent POSTs a message -> customer's socket.io client receives it", [s["delivered_ms"] for s in samples]
            ),
        ],
        "how": (
            "How: a python-socketio client (long-polling transport) joins Rasa's web chat channel and types "
            f'"{ESCALATION_TEXT}"; the demo agent polls the waiting queue every '
            f"{int(POLL_INTERVAL_SECONDS * 1000)} ms (so queue times are up to that much late), claims the "
            "handoff and posts a message, which the customer's socket must receive; each handoff is then closed."
        ),
    }
