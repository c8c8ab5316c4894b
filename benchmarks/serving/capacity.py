"""Latency-bounded capacity: the highest rate of arriving conversations served with p95 under a bound.

A short search over arrival rates (open loop, Poisson arrivals of new conversations through REST):
from a first guess it grows by half while a rate passes, then halves the gap between the highest rate
that passed and the lowest that failed. A rate passes when the p95 of every reply is within the bound and
no reply failed or was wrong.
"""

from __future__ import annotations

import asyncio
from typing import Callable, Dict, List, Optional

from benchmarks.serving.conversations import Conversation
from benchmarks.serving.load_generator import LoadResult, Target, run_arrivals

P95_BOUND_MS = 300.0


def _passes(result: LoadResult, bound_ms: float) -> bool:
    return result.p95_ms <= bound_ms and result.failures == 0 and result.wrong_replies == 0


def search_capacity(
    target: Target,
    make: Callable[[int], List[Conversation]],
    first_guess_per_second: float,
    seconds_per_step: float,
    steps: int,
    bound_ms: float = P95_BOUND_MS,
) -> Dict[str, object]:
    """Returns the highest passing rate (conversations/s and messages/s) and every step tried."""
    passed: Optional[float] = None
    failed: Optional[float] = None
    rate = max(first_guess_per_second, 0.05)
    tried = []
    for _ in range(steps):
        conversations = make(max(4, round(rate * seconds_per_step)))
        result = asyncio.run(run_arrivals(target, conversations, rate))
        ok = _passes(result, bound_ms)
        mean_turns = sum(len(c.turns) for c in conversations) / len(conversations)
        tried.append(
            {
                "conversations_per_second": round(rate, 3),
                "offered_messages_per_second": round(rate * mean_turns, 2),
                "passed": ok,
                **result.as_dict(),
            }
        )
        if ok:
            passed = rate if passed is None else max(passed, rate)
        else:
            failed = rate if failed is None else min(failed, rate)
        if failed is None:
            rate *= 1.5
        elif passed is None:
            rate = failed / 2
        else:
            rate = (passed + failed) / 2
    best = max(
        (step for step in tried if step["passed"]), key=lambda step: step["conversations_per_second"], default=None
    )
    return {
        "p95_bound_ms": bound_ms,
        "conversations_per_second": best["conversations_per_second"] if best else 0.0,
        "messages_per_second": best["offered_messages_per_second"] if best else 0.0,
        "steps": tried,
    }
