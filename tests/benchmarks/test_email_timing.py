"""Part `email` of the benchmark harness runs against the real stack on a tiny input and writes its section."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.__main__ import main


def test_the_email_part_times_mails_to_their_replies_and_writes_its_section(tmp_path: Path) -> None:
    results, docs = tmp_path / "results", tmp_path / "docs"
    arguments = ["email", "--quick", "--results-dir", str(results), "--docs-dir", str(docs)]
    assert main([*arguments, "--workdir", str(tmp_path / "work")]) == 0
    result = json.loads((results / "email.json").read_text())
    assert result["status"] == "measured", result.get("error")
    replied = result["timings"][1]
    assert replied["measure"] == "mail posted -> reply accepted by the SMTP server"
    assert replied["samples"] == 2
    # a reply leaves only after its mail was answered
    assert replied["p50_ms"] >= result["timings"][0]["p50_ms"] > 0
    page = (docs / "benchmarks.md").read_text()
    assert "## 6. E-mail: inbound mail to reply" in page
    assert "mail posted -> reply accepted by the SMTP server | 2 |" in page
