"""Part `cost`: training time and size of the full model, resident memory of each process at rest and under load."""

from __future__ import annotations

import asyncio

from benchmarks.context import RunContext
from benchmarks.model_footprint import runtime_files
from benchmarks.process_memory import resident_mib
from benchmarks.results import PartResult
from benchmarks.serving.conversations import demo_orders, shop_conversations
from benchmarks.serving.load_generator import Target, run_load
from benchmarks.serving.part import MemorySampler
from benchmarks.serving.project_stack import ServingTuning, start_project_stack, train_project_model

LOAD_CONCURRENCY = 20
QUICK_LOAD_CONCURRENCY = 2


def run(context: RunContext) -> PartResult:
    workdir = context.workdir / "serving"
    model_path, training_seconds, training_cpu_seconds = train_project_model(workdir, context.quick)
    group, settings = start_project_stack(workdir / "cost", model_path, ServingTuning(name="as configured"))
    try:
        orders = demo_orders(settings.database_url)
        target = Target(settings.rasa_url, {"Authorization": f"Bearer {settings.rest_channel_token}"}, web_chat=True)
        asyncio.run(run_load(target, shop_conversations(orders, 2), concurrency=1))
        at_rest = {name: resident_mib(pid) for name, pid in group.pids().items()}
        concurrency = QUICK_LOAD_CONCURRENCY if context.quick else LOAD_CONCURRENCY
        with MemorySampler(group.pids) as sampler:
            load = asyncio.run(run_load(target, shop_conversations(orders, concurrency * 2), concurrency))
    finally:
        group.stop()
    return {
        "training_seconds": round(training_seconds, 1),
        "training_cpu_seconds": round(training_cpu_seconds, 1),
        "model_mib": round(model_path.stat().st_size / 1024 / 1024, 1),
        "runtime_files": runtime_files(context.config_path, context.project_root),
        "load_concurrency": concurrency,
        "load": load.as_dict(),
        "processes": [
            {
                "process": name,
                "rss_at_rest_mib": at_rest.get(name, 0.0),
                "rss_peak_under_load_mib": sampler.peak.get(name, 0.0),
            }
            for name in group.pids()
        ],
    }
