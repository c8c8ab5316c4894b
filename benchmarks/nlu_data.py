"""Labelled NLU examples read from Rasa YAML or the Banking77 CSV files, and written back for training."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple


@dataclass(frozen=True)
class EntitySpan:
    start: int
    end: int
    entity: str
    value: str


@dataclass(frozen=True)
class LabelledExample:
    text: str
    intent: str
    entities: Tuple[EntitySpan, ...] = ()


def load_rasa_examples(path: Path) -> List[LabelledExample]:
    """Reads the intent examples of a Rasa NLU file or folder (lookups and regexes are ignored)."""
    from rasa.shared.nlu.training_data.loading import load_data

    training_data = load_data(str(path))
    return [
        LabelledExample(
            text=message.get("text"),
            intent=message.get("intent"),
            entities=tuple(
                EntitySpan(
                    int(entity["start"]),
                    int(entity["end"]),
                    entity["entity"],
                    str(entity.get("value", "")),
                )
                for entity in message.get("entities") or []
            ),
        )
        for message in training_data.intent_examples
    ]


def load_banking77(csv_path: Path) -> List[LabelledExample]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        return [
            LabelledExample(text=row["text"].strip(), intent=row["category"].strip())
            for row in csv.DictReader(handle)
            if row.get("text", "").strip()
        ]


def write_rasa_json(examples: Sequence[LabelledExample], path: Path) -> Path:
    """Writes Rasa's JSON training format, which takes texts literally (no inline entity markup)."""
    common_examples = [
        {
            "text": example.text,
            "intent": example.intent,
            "entities": [
                {"start": span.start, "end": span.end, "entity": span.entity, "value": span.value}
                for span in example.entities
            ],
        }
        for example in examples
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"rasa_nlu_data": {"common_examples": common_examples}}))
    return path
