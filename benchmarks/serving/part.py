"""Part `serving`: throughput and latency of the project's stack beside Rasa's starter assistant."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from benchmarks.context import RunContext
from benchmarks.process_memory import resident_mib
from benchmarks.results import PartResult
from benchmarks.serving.conversations import Conversation, demo_orders, shop_conversations, starter_conversations
from benchmarks.serving.load_generator import run_load
from benchmarks.serving.processes import ServerGroup
from benchmarks.serving.project_stack import (
    ServingTuning,
    remove_scaled_run_state,
    start_project_stack,
    train_project_model,
)
from benchmarks.serving.starter_stack import create_starter, start_starter

CONCURRENCY_LEVELS = (1, 5, 20, 50)
QUICK_CONCURRENCY_LEVELS = (1, 2)
AS_CONFIGURED = ServingTuning(name="as configured (1 Sanic worker)")
SCALED_SINGLE_WORKER = ServingTuning(
    name="scaled: endpoints.scaled.yml (Redis tracker + lock store, RabbitMQ broker), "
    "bot.rasa_server.launch, 1 Sanic worker",
    endpoints_file="endpoints.scaled.yml",
    rasa_module="bot.rasa_server.launch",
)
SCALED = ServingTuning(
    name="scaled: endpoints.scaled.yml (Redis tracker + lock store, RabbitMQ broker), "
    "bot.rasa_server.launch, 2 Sanic workers, 1 TF thread each",
    sanic_workers=2,
    tensorflow_threads=1,
    endpoints_file="endpoints.scaled.yml",
    rasa_module="bot.rasa_server.launch",
)
TUNINGS = (AS_CONFIGURED, SCALED_SINGLE_WORKER, SCALED)
TARGET_RATIO_AT_20 = 4.0
TARGET_P95_MS_AT_20 = 250.0


def conversations_per_level(concurrency: int, quick: bool) -> int:
    return concurrency * (1 if quick else 2) + (2 if quick else 8)


class MemorySampler:
    """Samples the resident memory of a server group in the background while load runs."""

    def __init__(self, group: ServerGroup, interval: float = 0.5) -> None:
        self._group = group
        self._interval = interval
        self._stop = threading.Event()
        self.peak: Dict[str, float] = {}
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for name, pid in self._group.pids().items():
                self.peak[name] = max(self.peak.get(name, 0.0), resident_mib(pid))
            time.sleep(self._interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure_levels(
    group: ServerGroup,
    rasa_url: str,
    make: Callable[[int], List[Conversation]],
    context: RunContext,
    headers: Optional[Dict[str, str]] = None,
) -> Dict[str, object]:
    asyncio.run(run_load(rasa_url, make(3), concurrency=1, headers=headers))  # warm-up: lazy graphs, DB connections
    at_rest = {name: resident_mib(pid) for name, pid in group.pids().items()}
    levels = []
    with MemorySampler(group) as sampler:
        for concurrency in QUICK_CONCURRENCY_LEVELS if context.quick else CONCURRENCY_LEVELS:
            conversations = make(conversations_per_level(concurrency, context.quick))
            levels.append(asyncio.run(run_load(rasa_url, conversations, concurrency, headers)).as_dict())
    return {"levels": levels, "rss_at_rest_mib": at_rest, "rss_peak_under_load_mib": sampler.peak}


def _project_runs(context: RunContext, workdir: Path) -> Dict[str, object]:
    model_path, training_seconds, _ = train_project_model(workdir, context.quick)
    runs = []
    tunings: Sequence[ServingTuning] = TUNINGS[:1] if context.quick else TUNINGS
    for index, tuning in enumerate(tunings):
        stack_dir = workdir / f"project-{index}"
        group, settings = start_project_stack(stack_dir, model_path, tuning)
        try:
            orders = demo_orders(settings.database_url)
            measured = _measure_levels(
                group,
                settings.rasa_url,
                lambda count, orders=orders: shop_conversations(orders, count),
                context,
                {"Authorization": f"Bearer {settings.rest_channel_token}"},
            )
        finally:
            group.stop()
            if tuning.uses_redis_and_rabbitmq:
                remove_scaled_run_state(settings)
        runs.append({"tuning": tuning.name, **measured})
    return {"training_seconds": round(training_seconds, 1), "model_mib": _mib(model_path), "runs": runs}


def _starter_run(context: RunContext, workdir: Path) -> Dict[str, object]:
    folder, training_seconds = create_starter(workdir)
    group, url = start_starter(folder, workdir)
    try:
        measured = _measure_levels(group, url, starter_conversations, context)
    finally:
        group.stop()
    models = sorted((folder / "models").glob("*.tar.gz"))
    return {"training_seconds": round(training_seconds, 1), "model_mib": _mib(models[-1]), **measured}


def _mib(path: Path) -> float:
    return round(path.stat().st_size / 1024 / 1024, 1)


def _ratios(project_levels: List[dict], starter_levels: List[dict]) -> List[dict]:
    return [
        {
            "concurrency": mine["concurrency"],
            "throughput_ratio": round(mine["messages_per_second"] / theirs["messages_per_second"], 2)
            if theirs["messages_per_second"]
            else None,
            "p95_ratio": round(mine["p95_ms"] / theirs["p95_ms"], 2) if theirs["p95_ms"] else None,
        }
        for mine, theirs in zip(project_levels, starter_levels, strict=True)
    ]


def run(context: RunContext) -> PartResult:
    workdir = context.workdir / "serving"
    workdir.mkdir(parents=True, exist_ok=True)
    project = _project_runs(context, workdir)
    starter = _starter_run(context, workdir)
    best = max(
        project["runs"],
        key=lambda run_: max(level["messages_per_second"] for level in run_["levels"]),
    )
    return {
        "project": project,
        "starter": starter,
        "best_tuning": best["tuning"],
        "ratios": _ratios(best["levels"], starter["levels"]),
        "target_ratio_at_20": TARGET_RATIO_AT_20,
        "target_p95_ms_at_20": TARGET_P95_MS_AT_20,
    }
