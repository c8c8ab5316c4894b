"""Times a handoff end to end on the started deployment: a web chat customer asks for a person, the demo agent answers."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, List

from benchmarks.context import RunContext
from benchmarks.handoff_agent import AgentConsole, AgentStepFailed, StreamEvent
from benchmarks.handoff_customer import WebChatCustomer
from benchmarks.latency_summary import latency_summary
from benchmarks.results import PartResult
from benchmarks.serving.project_stack import ServingTuning, start_project_stack, train_project_model

SAMPLES = 5
QUICK_SAMPLES = 1
WAIT_LIMIT_SECONDS = 30.0
ESCALATION_TEXT = "I want to talk to a human"
# parts of utter_handoff_queued and utter_handoff_welcome_back (English) in domain.yml
QUEUED_TEXT = "connecting you with a person"
WELCOME_BACK_TEXT = "You're back with the shop assistant"

MEASURES = {
    "queued_ms": "customer asks for a person -> handoff_opened on the agent's live stream",
    "agent_to_customer_ms": "agent POSTs a message -> customer's web chat receives it",
    "customer_to_agent_ms": "customer types during the handoff -> message on the agent's live stream",
    "handback_ms": "agent hands back to the assistant -> customer's web chat gets the assistant's welcome back",
}


def marker_word() -> str:
    """A made-up word of letters only, so that no privacy mask (card numbers, secrets) touches it."""
    return "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex[:10])


def _opened_for(conversation_id: str) -> Callable[[StreamEvent], bool]:
    def matches(event: StreamEvent) -> bool:
        return (
            event.kind == "handoff_opened" and event.data.get("handoff", {}).get("conversation_id") == conversation_id
        )

    return matches


def _customer_line(handoff_id: int, text: str) -> Callable[[StreamEvent], bool]:
    def matches(event: StreamEvent) -> bool:
        message = event.data.get("message", {})
        return (
            event.kind == "message"
            and event.data.get("handoff_id") == handoff_id
            and message.get("sender") == "customer"
            and text in message.get("text", "")
        )

    return matches


async def _one_sample(agent: AgentConsole, rasa_url: str, leaving: List[Any]) -> Dict[str, float]:
    customer = WebChatCustomer(rasa_url, WAIT_LIMIT_SECONDS)
    try:
        return await _handoff_steps(agent, customer)
    finally:
        if customer.leaving is not None:
            leaving.append(customer.leaving)


async def _handoff_steps(agent: AgentConsole, customer: WebChatCustomer) -> Dict[str, float]:
    async with customer:
        seen = agent.event_count()
        asked_at = time.perf_counter()
        await customer.say(ESCALATION_TEXT)
        opened = await agent.wait_for_event(_opened_for(customer.session_id), "handoff for the customer", seen)
        handoff_id = int(opened.data["handoff"]["id"])
        # a live chat, not the offline offer to leave a message
        await customer.wait_for_text(QUEUED_TEXT)
        if handoff_id not in [int(handoff["id"]) for handoff in await agent.waiting_handoffs()]:
            raise AgentStepFailed(f"handoff {handoff_id} is on the stream but not in the waiting queue")
        await agent.claim(handoff_id)

        reply = f"Hello, this is the support team ({marker_word()})"
        before = len(customer.received)
        sent_at = time.perf_counter()
        await agent.send(handoff_id, reply)
        agent_to_customer = await customer.wait_for_text(reply, after=before) - sent_at

        question = f"Thanks, one more question about {marker_word()}"
        seen = agent.event_count()
        typed_at = time.perf_counter()
        await customer.say(question)
        line = await agent.wait_for_event(_customer_line(handoff_id, question), "customer's message", seen)

        before = len(customer.received)
        handed_back_at = time.perf_counter()
        await agent.hand_back(handoff_id)
        welcomed = await customer.wait_for_text(WELCOME_BACK_TEXT, after=before)
    return {
        "queued_ms": (opened.arrived - asked_at) * 1000,
        "agent_to_customer_ms": agent_to_customer * 1000,
        "customer_to_agent_ms": (line.arrived - typed_at) * 1000,
        "handback_ms": (welcomed - handed_back_at) * 1000,
    }


async def _measure(
    rasa_url: str, service_url: str, username: str, password: str, samples: int
) -> List[Dict[str, float]]:
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WAIT_LIMIT_SECONDS)) as http:
        agent = AgentConsole(http, service_url, WAIT_LIMIT_SECONDS)
        await agent.log_in(username, password)
        leaving: List[Any] = []
        try:
            return [await _one_sample(agent, rasa_url, leaving) for _ in range(samples)]
        finally:
            await asyncio.gather(*leaving, return_exceptions=True)
            await agent.close()


def _model_path(context: RunContext) -> Path:
    """The model `make run` serves (models/), else one trained into the work folder."""
    model_path = context.project_root / "models" / "shop.tar.gz"
    if model_path.exists():
        return model_path
    trained, _, _ = train_project_model(context.workdir / "serving", context.quick)
    return Path(trained)


def measure_handoffs(context: RunContext) -> PartResult:
    from bot.service.handoff.demo_agent import ensure_demo_agent

    workdir = context.workdir / "handoff"
    group, settings = start_project_stack(workdir, _model_path(context), ServingTuning(name="as configured"))
    try:
        # the demo agent as `make run` (DEMO_MODE=1) creates it at start-up, its password kept in the run's
        # folder instead of var/; the stack already runs with make run's demo secrets
        login = ensure_demo_agent(replace(settings, demo_mode=True), var_dir=workdir)
        if login is None:
            raise AgentStepFailed("the deployment is not in demo mode, so it has no demo agent")
        count = QUICK_SAMPLES if context.quick else SAMPLES
        samples = asyncio.run(_measure(settings.rasa_url, settings.service_url, login.username, login.password, count))
    finally:
        group.stop()
    return {
        "timings": [latency_summary(label, [sample[key] for sample in samples]) for key, label in MEASURES.items()],
        "how": (
            "How: `make run`'s deployment (Rasa server, action server, bot service; the model in models/) on free "
            "ports. A python-socketio client (long-polling transport) opens a web chat session as the widget does "
            f'(the server issues the session id and its proof) and types "{ESCALATION_TEXT}"; the demo agent, '
            "logged in as `make run` creates it and online, follows the console's live stream (GET /api/stream), "
            "claims the handoff, posts a message the customer's socket must receive, reads the customer's next "
            "message off the stream and hands the chat back to the assistant, whose welcome back the customer "
            "must receive. Each time is from the request's start to the arrival of the right text."
        ),
    }
