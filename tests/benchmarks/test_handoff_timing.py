"""Part `handoff` of the benchmark harness runs against the real stack on a tiny input and writes its section."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.__main__ import main
from benchmarks.handoff_probe import MEASURES


def test_the_handoff_part_times_each_step_of_a_handoff_and_writes_its_section(tmp_path: Path) -> None:
    results, docs = tmp_path / "results", tmp_path / "docs"
    arguments = ["handoff", "--quick", "--results-dir", str(results), "--docs-dir", str(docs)]
    assert main([*arguments, "--workdir", str(tmp_path / "work")]) == 0
    result = json.loads((results / "handoff.json").read_text())
    assert result["status"] == "measured", result.get("error")
    assert [row["measure"] for row in result["timings"]] == list(MEASURES.values())
    assert all(row["samples"] == 1 and row["p50_ms"] > 0 for row in result["timings"])
    section = (docs / "benchmarks.md").read_text().split("## 4. Handoff timings")[1].split("## 5.")[0]
    assert f"| {MEASURES['handback_ms']} | 1 |" in section
