"""The benchmark harness runs end to end on a tiny input and writes its result and page."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from benchmarks.__main__ import main

TINY_INTENTS = {
    "card_arrival": [
        "where is my new card",
        "my card has not arrived yet",
        "when will the card come",
        "still waiting for my card",
        "has my card been posted",
        "card delivery is late",
        "how long until my card arrives",
        "the card never showed up",
    ],
    "exchange_rate": [
        "what exchange rate do you use",
        "how do you convert euros to pounds",
        "is the rate fair",
        "which rate applies to dollars",
        "tell me today's exchange rate",
        "how is the rate calculated",
        "do you add a margin to the rate",
        "where can I see the exchange rates",
    ],
    "top_up_failed": [
        "my top up failed",
        "the top-up did not go through",
        "why was my top up declined",
        "I could not add money",
        "adding funds keeps failing",
        "top up error again",
        "money was not added to my account",
        "the transfer to top up was rejected",
    ],
}


def write_tiny_banking77(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, rows in (("train", slice(0, 8)), ("test", slice(5, 8))):
        with (folder / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "category"])
            for intent, texts in TINY_INTENTS.items():
                writer.writerows([text, intent] for text in texts[rows])


def test_banking77_part_runs_on_a_tiny_input_and_writes_the_page(tmp_path: Path) -> None:
    dataset = tmp_path / "banking77"
    write_tiny_banking77(dataset)
    results, docs = tmp_path / "results", tmp_path / "docs"

    exit_code = main(
        [
            "banking77",
            "--quick",
            "--results-dir",
            str(results),
            "--docs-dir",
            str(docs),
            "--workdir",
            str(tmp_path / "work"),
            "--banking77-dir",
            str(dataset),
        ]
    )

    result = json.loads((results / "banking77.json").read_text())
    assert exit_code == 0, result.get("error")
    assert result["status"] == "measured"
    assert result["train_examples"] == 24 and result["test_examples"] == 9
    (row,) = result["pipelines"]
    assert 0.0 <= row["intent_accuracy"] <= 1.0
    assert row["parse_p50_ms"] > 0
    assert result["machine"]["cores"] >= 1
    page = (docs / "benchmarks.md").read_text()
    assert "## 2. Banking77 intent detection" in page
    assert "quick run: figures not meaningful" in page
    assert "Not measured yet: run `python -m benchmarks serving`" in page
