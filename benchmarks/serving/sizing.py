"""The sizing section of docs/scaling.md, written from the serving part's result.

Per deployment: messages per second per core (at the latency bound and at 20 customers), how many
conversations a core carries when each customer writes every 10 to 20 seconds, and memory per instance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

from benchmarks.results import PartResult

START_MARK = "<!-- sizing: written by `python -m benchmarks serving` from benchmarks/results/serving.json -->"
END_MARK = "<!-- sizing: end -->"
SECONDS_BETWEEN_MESSAGES = (10, 20)


def _at(levels: List[Dict[str, float]], concurrency: int) -> Optional[Dict[str, float]]:
    return next((level for level in levels if level["concurrency"] == concurrency), None)


def _rows(result: PartResult, cores: int) -> List[List[object]]:
    rows: List[List[object]] = []
    for name, deployment in (result.get("deployments") or {}).items():
        if "levels" not in deployment:
            continue
        bounded = float((deployment.get("capacity") or {}).get("messages_per_second", 0.0)) / cores
        at_20 = _at(deployment["levels"].get("rest", []), 20)
        closed = float(at_20["messages_per_second"]) / cores if at_20 else 0.0
        fast, slow = SECONDS_BETWEEN_MESSAGES
        peak = deployment.get("rss_peak_under_load_mib", {})
        memory = ", ".join(f"{instance} {mib:.0f}" for instance, mib in sorted(peak.items()))
        rows.append(
            [
                name,
                f"{bounded:.1f}",
                f"{closed:.1f}",
                f"{bounded * fast:.0f}-{bounded * slow:.0f}",
                memory or "n/a",
            ]
        )
    return rows


def sizing_markdown(result: PartResult) -> str:
    from benchmarks.page_sections import table

    machine = result.get("machine", {})
    cores = int(machine.get("cores") or 1)
    lines = [
        START_MARK,
        "",
        f"From the serving benchmark of {machine.get('date', '?')} at commit `{machine.get('commit', '?')}` on "
        f"{cores} cores (load average {machine.get('load_average_1min', '?')} before, "
        f"{machine.get('load_average_1min_after', '?')} after; each deployment's own in "
        "[benchmarks.md](benchmarks.md) section 3). Per core: the machine's messages per second divided by its "
        "cores, everything (all instances, the load generator too) sharing them. Bounded: the highest open-loop "
        "rate with every reply right and a p95 of at most 300 ms; closed loop: 20 customers each writing as soon "
        "as the previous reply came. Conversations per core: the bounded rate times the seconds between one "
        "customer's messages (10 to 20 s).",
        "",
    ]
    if result.get("quick"):
        lines += ["**Quick run: these figures mean nothing.**", ""]
    lines.append(
        table(
            (
                "deployment",
                "messages/s per core, bounded",
                "messages/s per core, closed loop at 20",
                "conversations per core at 10-20 s between messages",
                "MiB per instance (peak under load)",
            ),
            _rows(result, cores),
        )
    )
    lines.append(END_MARK)
    return "\n".join(lines)


def write_sizing(scaling_page: Path, result: Optional[PartResult]) -> bool:
    """Replaces the section between the marks; False when there is no measured result or no marks."""
    if not result or result.get("status") != "measured" or not scaling_page.exists():
        return False
    text = scaling_page.read_text()
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        return False
    scaling_page.write_text(text[:start] + sizing_markdown(result) + text[end + len(END_MARK) :])
    return True
