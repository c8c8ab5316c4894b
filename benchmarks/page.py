"""Writes docs/benchmarks.md and its pictures from the stored results of each part."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

from benchmarks import plots
from benchmarks.context import RunContext
from benchmarks.email_page import email_section
from benchmarks.nlu_rates_page import configured_threshold, nlu_threshold_curves
from benchmarks.page_sections import (
    banking77_section,
    cost_section,
    handoff_section,
    nlu_section,
    proposal_section,
    serving_section,
)
from benchmarks.results import PartResult, load_result
from benchmarks.serving.sizing import write_sizing

PAGE_PARTS = ("nlu", "banking77", "serving", "handoff", "cost", "email")

INTRODUCTION = """# Benchmarks

Every figure on this page comes from a run of the benchmark harness, `python -m benchmarks all`
(what `make bench` calls), on the machine named under each part. Each part can also run alone,
`python -m benchmarks nlu|banking77|serving|handoff|cost|email`, and `python -m benchmarks page` rewrites
this page from the stored results. The latest result of each part is kept, as JSON, in
`benchmarks/results/` (committed with `git add -f`, since `results/` folders are otherwise ignored),
so the page can be regenerated without measuring again. `--quick` runs every part on a tiny input:
that only checks the harness (it is what `tests/benchmarks/test_harness_smoke.py` does) and its
figures mean nothing.

The machine is shared: other work ran on the same 2 cores while these figures were taken, and the
harness itself runs at niceness 5 when started as documented (`nice -n 5 python -m benchmarks all`), so
wall-clock times and serving figures are pessimistic; training CPU seconds are given beside wall times
for that reason. The 1-minute load average before and after each part is given with it.
"""


def machine_line(result: PartResult) -> str:
    machine = result.get("machine", {})
    quick = " **(quick run: figures not meaningful)**" if result.get("quick") else ""
    return (
        f"_Measured {machine.get('date', '?')} at commit `{machine.get('commit', '?')}` on "
        f"{machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, {machine.get('memory_gib', '?')} GiB RAM, "
        f"Python {machine.get('python', '?')}; load average {machine.get('load_average_1min', '?')} before, "
        f"{machine.get('load_average_1min_after', '?')} after; the part took "
        f"{result.get('duration_seconds', '?')} s._{quick}"
    )


SECTIONS: Dict[str, tuple] = {
    "nlu": ("1. Understanding on the project's own data", nlu_section),
    "banking77": ("2. Banking77 intent detection", banking77_section),
    "serving": ("3. Serving under load", serving_section),
    "handoff": ("4. Handoff timings", handoff_section),
    "cost": ("5. Cost: training, model size, memory", cost_section),
    "email": ("6. E-mail: inbound mail to reply", email_section),
}


def _draw_pictures(results: Dict[str, Optional[PartResult]], image_dir: Path) -> Dict[str, str]:
    """Draws what the results allow; returns picture names relative to docs/."""
    pictures: Dict[str, str] = {}
    nlu = results.get("nlu") or {}
    confusion = (nlu.get("holdout") or {}).get("confusion")
    if nlu.get("status") == "measured" and confusion:
        plots.confusion_matrix_png(
            confusion["labels"],
            confusion["matrix"],
            image_dir / "nlu-confusion.png",
            "held-out set, config.yml as it is (rows normalised)",
        )
        pictures["nlu_confusion"] = "img/nlu-confusion.png"
    curves = nlu_threshold_curves(nlu) if nlu.get("status") == "measured" else {}
    if curves:
        plots.threshold_curve_png(curves, configured_threshold(), image_dir / "nlu-threshold.png")
        pictures["nlu_threshold"] = "img/nlu-threshold.png"
    serving = results.get("serving") or {}
    series = {
        f"{name} ({transport})": levels
        for name, deployment in (serving.get("deployments") or {}).items()
        for transport, levels in (deployment.get("levels") or {}).items()
    }
    if serving.get("status") == "measured" and series:
        plots.serving_png(series, image_dir / "serving.png")
        pictures["serving"] = "img/serving.png"
    return pictures


def render(results: Dict[str, Optional[PartResult]], pictures: Dict[str, str]) -> str:
    lines: List[str] = [INTRODUCTION]
    for part in PAGE_PARTS:
        title, section = SECTIONS[part]
        lines.append(f"## {title}\n")
        result = results.get(part)
        if result is None:
            lines.append("Not measured yet: run `python -m benchmarks " + part + "`.\n")
            continue
        if result.get("withdrawn"):
            # a stored result the code has moved on from: kept until the part runs again, never shown
            lines.append(f"Not shown: {result['withdrawn']}\n")
            continue
        lines.append(machine_line(result) + "\n")
        if result.get("status") == "failed":
            lines.append(f"**The part failed:** `{result.get('error', '?')}`\n")
            continue
        lines.append(section(result, pictures))
    lines.append("## 7. Proposed change to config.yml\n")
    lines.append(proposal_section(results.get("nlu"), results.get("banking77")))
    return "\n".join(lines).rstrip() + "\n"


def write_page(context: RunContext) -> Path:
    results = {part: load_result(context.results_dir, part) for part in PAGE_PARTS}
    pictures = _draw_pictures(results, context.image_dir)
    page = context.docs_dir / "benchmarks.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render(results, pictures))
    write_sizing(context.docs_dir / "scaling.md", results.get("serving"))
    return page
