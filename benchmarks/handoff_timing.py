"""Part `handoff`: a web chat customer's request for a person through the agent's queue, both ways of the chat, and the hand-back."""

from __future__ import annotations

from benchmarks.context import RunContext
from benchmarks.results import PartResult


def run(context: RunContext) -> PartResult:
    from benchmarks.handoff_probe import measure_handoffs

    return measure_handoffs(context)
