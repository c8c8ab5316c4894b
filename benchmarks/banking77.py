"""Part `banking77`: the project's NLU pipeline trained and tested on Banking77, beside published figures."""

from __future__ import annotations

import random
from typing import Dict, List

from benchmarks.context import RunContext
from benchmarks.machine import cpu_model
from benchmarks.nlu_data import LabelledExample, load_banking77, write_rasa_json
from benchmarks.nlu_metrics import score
from benchmarks.nlu_model import parse_texts, project_pipeline, train_nlu_model
from benchmarks.results import PartResult

PUBLISHED = [
    {"system": "BERT, fine-tuned (Casanueva et al., 2020)", "accuracy": 0.9366},
    {"system": "USE+ConveRT, frozen encoders + MLP (Casanueva et al., 2020)", "accuracy": 0.9336},
]
TARGET_ACCURACY = 0.9366
TARGET_TRAINING_SECONDS = 15 * 60
QUICK_EXAMPLES_PER_INTENT = 8
QUICK_TEST_PER_INTENT = 3
QUICK_INTENTS = 10


def _subset(examples: List[LabelledExample], intents: List[str], per_intent: int) -> List[LabelledExample]:
    chosen: List[LabelledExample] = []
    for intent in intents:
        chosen.extend([example for example in examples if example.intent == intent][:per_intent])
    return chosen


def load_splits(context: RunContext) -> Dict[str, List[LabelledExample]]:
    train = load_banking77(context.banking77_dir / "train.csv")
    test = load_banking77(context.banking77_dir / "test.csv")
    if context.quick:
        intents = sorted({example.intent for example in train})
        random.Random(7).shuffle(intents)
        intents = sorted(intents[:QUICK_INTENTS])
        train = _subset(train, intents, QUICK_EXAMPLES_PER_INTENT)
        test = _subset(test, intents, QUICK_TEST_PER_INTENT)
    return {"train": train, "test": test}


def run(context: RunContext) -> PartResult:
    splits = load_splits(context)
    workdir = context.workdir / "banking77"
    training_file = write_rasa_json(splits["train"], workdir / "train.json")
    overrides = {"epochs": 2} if context.quick else None
    # Exactly the pipeline the project serves, so the figure describes the project, not a variant of it.
    config = project_pipeline(context.config_path, overrides)
    model = train_nlu_model(config, training_file, workdir, "config-yml", context.project_root)
    parsed = parse_texts(model.path, [example.text for example in splits["test"]], context.project_root)
    scores = score(splits["test"], parsed)
    rows = [
        {
            "pipeline": "config.yml",
            "components": [component["name"] for component in config["pipeline"]],
            "training_seconds": round(model.training_seconds, 1),
            "training_cpu_seconds": round(model.training_cpu_seconds, 1),
            **scores.as_dict(),
        }
    ]
    return {
        "train_examples": len(splits["train"]),
        "test_examples": len(splits["test"]),
        "intents": len({example.intent for example in splits["train"]}),
        "cpu": cpu_model(),
        "pipelines": rows,
        "published": PUBLISHED,
        "target_accuracy": TARGET_ACCURACY,
        "target_training_seconds": TARGET_TRAINING_SECONDS,
    }
