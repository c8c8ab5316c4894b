"""The page's section of part `email`."""

from __future__ import annotations

from typing import Dict

from benchmarks.page_sections import table
from benchmarks.results import PartResult


def email_section(result: PartResult, pictures: Dict[str, str]) -> str:
    rows = [[row["measure"], row["samples"], row["p50_ms"], row["p95_ms"], row["max_ms"]] for row in result["timings"]]
    return table(("measure", "samples", "p50 ms", "p95 ms", "max ms"), rows) + "\n" + result.get("how", "") + "\n"
