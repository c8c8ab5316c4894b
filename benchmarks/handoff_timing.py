"""Part `handoff`: escalation-to-agent-queue time and agent-message-to-customer-socket time."""

from __future__ import annotations

from benchmarks.context import RunContext
from benchmarks.results import PartResult


class HandoffServiceMissing(RuntimeError):
    """The bot service has no agent API to measure against."""


def agent_api_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("bot.service.agent_api") is not None


def run(context: RunContext) -> PartResult:
    if not agent_api_available():
        return {"skipped": "the bot service's agent API (bot/service/agent_api.py) is not there yet"}
    from benchmarks.handoff_probe import measure_handoffs

    return measure_handoffs(context)
