"""Part `serving`: Rasa's starter assistant, `make run` and `make run-scaled`, side by side in one run.

Each deployment in turn: started, warmed up, then closed-loop customers at 1, 5, 20 and 50 at a time
through REST and through socket.io, every reply checked; then the latency-bounded capacity (open loop,
REST); resident memory per instance at rest and at its peak; the load average before and after.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

from benchmarks.context import RunContext
from benchmarks.machine import load_average
from benchmarks.process_cpu import CpuMeter
from benchmarks.process_memory import resident_mib
from benchmarks.results import PartResult
from benchmarks.serving.capacity import P95_BOUND_MS, search_capacity
from benchmarks.serving.conversations import Conversation, demo_orders, shop_conversations, starter_conversations
from benchmarks.serving.deployments import checkout_model, start_deployment
from benchmarks.serving.load_generator import TRANSPORTS, Target, run_load
from benchmarks.serving.project_stack import train_project_model
from benchmarks.serving.starter_stack import create_starter, start_starter

CONCURRENCY_LEVELS = (1, 5, 20, 50)
QUICK_CONCURRENCY_LEVELS = (1, 2)
DEPLOYMENTS = ("starter", "embedded", "scaled")
DESCRIPTIONS = {
    "starter": "Rasa's starter assistant (`rasa init`, in-memory tracker store, `rasa run --enable-api`)",
    "embedded": "`make run` (`python -m bot run`: SQLite tracker store and event broker, one machine)",
    "scaled": "`make run-scaled` (DEPLOYMENT=scaled: 2 Rasa + 2 bot services behind nginx, Redis, RabbitMQ, "
    "PostgreSQL)",
}
# (deployment, throughput at least this many times the starter's at 20 customers, p95 at most this, ms)
TARGETS = {"scaled": (3.0, 400.0), "embedded": (1.5, 1000.0)}
TARGET_CONCURRENCY = 20
# where the CPU time per message of every instance is measured
CPU_CONCURRENCY = TARGET_CONCURRENCY


def conversations_per_level(concurrency: int, quick: bool) -> int:
    return concurrency * (1 if quick else 2) + (2 if quick else 8)


class MemorySampler:
    """Samples the resident memory of every instance in the background while load runs."""

    def __init__(self, instances: Callable[[], Dict[str, int]], interval: float = 0.5) -> None:
        self._instances = instances
        self._interval = interval
        self._stop = threading.Event()
        self.peak: Dict[str, float] = {}
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for name, pid in self._instances().items():
                self.peak[name] = max(self.peak.get(name, 0.0), resident_mib(pid))
            time.sleep(self._interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(
    target: Target,
    instances: Callable[[], Dict[str, int]],
    make: Callable[[int], List[Conversation]],
    context: RunContext,
) -> Dict[str, object]:
    for transport in TRANSPORTS:  # warm-up: lazy graphs, connections, the first socket.io sessions
        asyncio.run(run_load(target, make(3), concurrency=1, transport=transport))
    at_rest = {name: resident_mib(pid) for name, pid in instances().items()}
    levels: Dict[str, List[Dict[str, float]]] = {}
    cpu: Dict[str, Dict[str, float]] = {}
    with MemorySampler(instances) as sampler:
        for transport in TRANSPORTS:
            levels[transport] = []
            for concurrency in QUICK_CONCURRENCY_LEVELS if context.quick else CONCURRENCY_LEVELS:
                meter = CpuMeter(instances())
                meter.start()
                level = asyncio.run(
                    run_load(target, make(conversations_per_level(concurrency, context.quick)), concurrency, transport)
                ).as_dict()
                levels[transport].append(level)
                if concurrency == CPU_CONCURRENCY or context.quick:
                    cpu[transport] = meter.per_message_ms(int(level["messages"]))
        best = max(level["messages_per_second"] for level in levels["rest"])
        mean_turns = sum(len(c.turns) for c in make(8)) / 8
        capacity = search_capacity(
            target,
            make,
            first_guess_per_second=best / mean_turns / 2,
            seconds_per_step=3.0 if context.quick else 15.0,
            steps=2 if context.quick else 5,
        )
    return {
        "levels": levels,
        "capacity": capacity,
        "rss_at_rest_mib": at_rest,
        "rss_peak_under_load_mib": sampler.peak,
        "cpu_ms_per_message": cpu,
        "cpu_concurrency": CPU_CONCURRENCY,
    }


def _run_starter(context: RunContext, workdir: Path) -> Dict[str, object]:
    folder, training_seconds = create_starter(workdir)
    group, url = start_starter(folder, workdir)
    try:
        measured = _measure(Target(url, None, web_chat=False), group.pids, starter_conversations, context)
    finally:
        group.stop()
    return {"training_seconds": round(training_seconds, 1), **measured}


def _run_project(kind: str, context: RunContext, workdir: Path, model: Path) -> Dict[str, object]:
    deployment = start_deployment(kind, workdir / kind, model)
    try:
        orders = demo_orders(deployment.database_url)
        measured = _measure(
            Target(deployment.rasa_url, deployment.rest_headers, web_chat=True),
            deployment.instances,
            lambda count: shop_conversations(orders, count),
            context,
        )
    finally:
        deployment.stop()
    return measured


def _at(levels: List[Dict[str, float]], concurrency: int) -> Optional[Dict[str, float]]:
    return next((level for level in levels if level["concurrency"] == concurrency), None)


def _ratios(mine: List[Dict[str, float]], starter: List[Dict[str, float]]) -> List[Dict[str, object]]:
    rows = []
    for level in mine:
        theirs = _at(starter, int(level["concurrency"]))
        if theirs is None:
            continue
        rows.append(
            {
                "concurrency": level["concurrency"],
                "throughput_ratio": round(level["messages_per_second"] / theirs["messages_per_second"], 2)
                if theirs["messages_per_second"]
                else None,
                "p95_ratio": round(level["p95_ms"] / theirs["p95_ms"], 2) if theirs["p95_ms"] else None,
            }
        )
    return rows


def _verdicts(deployments: Dict[str, Dict[str, object]]) -> List[Dict[str, object]]:
    starter = deployments.get("starter", {}).get("levels")
    verdicts = []
    for kind, (ratio_target, p95_target) in TARGETS.items():
        measured = deployments.get(kind, {}).get("levels")
        if not starter or not measured:
            continue
        for transport in TRANSPORTS:
            mine = _at(measured[transport], TARGET_CONCURRENCY)  # type: ignore[index]
            theirs = _at(starter[transport], TARGET_CONCURRENCY)  # type: ignore[index]
            if not mine or not theirs or not theirs["messages_per_second"]:
                continue
            ratio = round(mine["messages_per_second"] / theirs["messages_per_second"], 2)
            verdicts.append(
                {
                    "deployment": kind,
                    "transport": transport,
                    "ratio": ratio,
                    "ratio_target": ratio_target,
                    "p95_ms": mine["p95_ms"],
                    "p95_target_ms": p95_target,
                    "errors": mine["failures"] + mine["wrong_replies"],
                    "met": ratio >= ratio_target and mine["p95_ms"] <= p95_target,
                }
            )
    return verdicts


def run(context: RunContext) -> PartResult:
    workdir = context.workdir / "serving"
    workdir.mkdir(parents=True, exist_ok=True)
    model = checkout_model() or train_project_model(workdir, context.quick)[0]
    deployments: Dict[str, Dict[str, object]] = {}
    for kind in DEPLOYMENTS:
        before = load_average()
        started = time.perf_counter()
        try:
            measured = (
                _run_starter(context, workdir) if kind == "starter" else _run_project(kind, context, workdir, model)
            )
        except Exception as error:  # noqa: BLE001 - one deployment failing still leaves the others measured
            measured = {"failed": f"{type(error).__name__}: {error}"[:1500]}
        deployments[kind] = {
            "description": DESCRIPTIONS[kind],
            **measured,
            "load_average_before": before,
            "load_average_after": load_average(),
            "seconds": round(time.perf_counter() - started, 1),
        }
    ratios = {
        kind: {
            transport: _ratios(deployments[kind]["levels"][transport], deployments["starter"]["levels"][transport])  # type: ignore[index]
            for transport in TRANSPORTS
        }
        for kind in ("embedded", "scaled")
        if "levels" in deployments[kind] and "levels" in deployments["starter"]
    }
    return {
        "deployments": deployments,
        "ratios": ratios,
        "targets": _verdicts(deployments),
        "capacity_p95_bound_ms": P95_BOUND_MS,
        "model": str(model),
    }
