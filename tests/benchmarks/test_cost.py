"""Part `cost` of the benchmark harness trains a quick model, runs the real stack under load and writes its section."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.__main__ import main


def test_the_cost_part_measures_training_size_and_memory_and_writes_its_section(tmp_path: Path) -> None:
    results, docs = tmp_path / "results", tmp_path / "docs"
    arguments = ["cost", "--quick", "--results-dir", str(results), "--docs-dir", str(docs)]
    assert main([*arguments, "--workdir", str(tmp_path / "work")]) == 0
    result = json.loads((results / "cost.json").read_text())
    assert result["status"] == "measured", result.get("error")
    assert result["training_seconds"] > 0 and result["model_mib"] > 0
    assert result["runtime_files"] and all(row["mib"] > 0 for row in result["runtime_files"])
    assert result["load"]["failures"] == 0 and result["load"]["wrong_replies"] == 0
    memory = {row["process"]: row for row in result["processes"]}
    assert set(memory) == {"Rasa server", "action server", "bot service"}
    assert all(row["rss_at_rest_mib"] > 0 and row["rss_peak_under_load_mib"] > 0 for row in memory.values())
    section = (
        (docs / "benchmarks.md").read_text().split("## 5. Cost: training, model size, memory")[1].split("## 6.")[0]
    )
    assert "| Rasa server |" in section
