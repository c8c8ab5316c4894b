"""Command line: `python -m benchmarks <part>|all|page [--quick]`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import List, Optional

from benchmarks.context import BANKING77_DIR, RunContext
from benchmarks.machine import machine_facts
from benchmarks.results import save_result
from bot.shared.settings import PROJECT_ROOT

# part name -> module with `run(context) -> dict`; `all` runs them in this order.
PARTS = {
    "nlu": "benchmarks.own_data",
    "banking77": "benchmarks.banking77",
    "serving": "benchmarks.serving.part",
    "handoff": "benchmarks.handoff_timing",
    "cost": "benchmarks.cost",
    "email": "benchmarks.email_timing",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("part", choices=[*PARTS, "all", "page"], help="what to measure ('page' only rewrites the page)")
    parser.add_argument("--quick", action="store_true", help="tiny inputs: checks the harness, not the figures")
    parser.add_argument("--results-dir", type=Path, default=PROJECT_ROOT / "benchmarks" / "results")
    parser.add_argument("--docs-dir", type=Path, default=PROJECT_ROOT / "docs")
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds of the nlu part (0: none)")
    parser.add_argument("--banking77-dir", type=Path, default=BANKING77_DIR, help="train.csv and test.csv")
    return parser


def run_part(part: str, context: RunContext) -> bool:
    """Runs one part and stores its result; a failing part is recorded, not fatal to the others."""
    module = importlib.import_module(PARTS[part])
    facts = machine_facts(context.project_root)
    started = time.perf_counter()
    print(f"[benchmarks] {part}: started", flush=True)
    try:
        result = {"status": "measured", **module.run(context)}
    except Exception as error:  # noqa: BLE001 - the page must say which part failed and why
        traceback.print_exc()
        result = {"status": "failed", "error": f"{type(error).__name__}: {error}"[:2000]}
    result["machine"] = facts
    result["machine"]["load_average_1min_after"] = machine_facts(context.project_root)["load_average_1min"]
    result["quick"] = context.quick
    result["duration_seconds"] = round(time.perf_counter() - started, 1)
    save_result(context.results_dir, part, result)
    print(f"[benchmarks] {part}: {result['status']} in {result['duration_seconds']} s", flush=True)
    return result["status"] != "failed"


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="shop-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    context = RunContext(
        quick=args.quick,
        results_dir=args.results_dir,
        docs_dir=args.docs_dir,
        workdir=workdir,
        banking77_dir=args.banking77_dir,
        folds=args.folds,
    )
    parts = list(PARTS) if args.part == "all" else [] if args.part == "page" else [args.part]
    succeeded = all(run_part(part, context) for part in parts)
    from benchmarks.page import write_page

    page = write_page(context)
    print(f"[benchmarks] wrote {page}", flush=True)
    return 0 if succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
