"""Intent and entity scores of parsed texts against their labels."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Dict, List, Sequence

import numpy as np

from benchmarks.nlu_data import LabelledExample
from benchmarks.nlu_model import ParsedText

FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Scores:
    examples: int
    intent_accuracy: float
    intent_macro_f1: float
    entity_f1: float
    fallback_rate: float
    # Accuracy of the classifier's own top intent, as if there were no fallback threshold.
    accuracy_before_fallback: float
    parse_p50_ms: float
    parse_p95_ms: float

    def as_dict(self) -> Dict[str, float]:
        return asdict(self)


def entity_f1(gold: Sequence[LabelledExample], parsed: Sequence[ParsedText]) -> float:
    """Micro F1 over exact (start, end, type) spans; 1.0 when neither side has entities."""
    gold_spans = {
        (index, span.start, span.end, span.entity) for index, example in enumerate(gold) for span in example.entities
    }
    predicted_spans = {
        (index, start, end, entity) for index, result in enumerate(parsed) for start, end, entity in result.entities
    }
    if not gold_spans and not predicted_spans:
        return 1.0
    true_positives = len(gold_spans & predicted_spans)
    precision = true_positives / len(predicted_spans) if predicted_spans else 0.0
    recall = true_positives / len(gold_spans) if gold_spans else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(gold: Sequence[LabelledExample], parsed: Sequence[ParsedText]) -> Scores:
    from sklearn.metrics import accuracy_score, f1_score

    expected = [example.intent for example in gold]
    predicted = [result.intent for result in parsed]
    latencies_ms = np.array([result.seconds * 1000 for result in parsed])
    return Scores(
        examples=len(gold),
        intent_accuracy=float(accuracy_score(expected, predicted)),
        # Averaged over the labelled intents only: a fallback counts as a miss, not as a class.
        intent_macro_f1=float(
            f1_score(expected, predicted, labels=sorted(set(expected)), average="macro", zero_division=0)
        ),
        entity_f1=entity_f1(gold, parsed),
        fallback_rate=sum(intent == FALLBACK_INTENT for intent in predicted) / max(len(predicted), 1),
        accuracy_before_fallback=float(
            accuracy_score(expected, [result.classifier_intent or result.intent for result in parsed])
        ),
        parse_p50_ms=float(np.percentile(latencies_ms, 50)) if len(latencies_ms) else 0.0,
        parse_p95_ms=float(np.percentile(latencies_ms, 95)) if len(latencies_ms) else 0.0,
    )


def worst_understood(
    gold: Sequence[LabelledExample], parsed: Sequence[ParsedText], count: int = 20
) -> List[Dict[str, object]]:
    """Confident mistakes first, then the least confident correct answers."""
    rows = [
        {
            "text": example.text,
            "expected": example.intent,
            "predicted": result.intent,
            "confidence": round(result.confidence, 3),
            "correct": example.intent == result.intent,
        }
        for example, result in zip(gold, parsed, strict=True)
    ]
    rows.sort(key=lambda row: (row["correct"], -row["confidence"] if not row["correct"] else row["confidence"]))
    return rows[:count]


def confusion(gold: Sequence[LabelledExample], parsed: Sequence[ParsedText]) -> Dict[str, object]:
    from sklearn.metrics import confusion_matrix

    labels = sorted({example.intent for example in gold} | {result.intent for result in parsed})
    matrix = confusion_matrix([example.intent for example in gold], [result.intent for result in parsed], labels=labels)
    return {"labels": labels, "matrix": matrix.tolist()}
