"""Right, confidently wrong and fallback rates of parsed texts: per intent, per language and against threshold."""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, List, Sequence

from benchmarks.nlu_data import LabelledExample
from benchmarks.nlu_model import FALLBACK_INTENT, ParsedText

OUT_OF_SCOPE = "out_of_scope"
# Answers that decline the question instead of answering another one.
REJECTIONS = frozenset({OUT_OF_SCOPE, FALLBACK_INTENT, "unsupported_language"})
THRESHOLDS = tuple(round(step * 0.05, 2) for step in range(20))


def _rates(gold: Sequence[LabelledExample], predicted: Sequence[str]) -> Dict[str, float]:
    total = max(len(gold), 1)
    right = sum(example.intent == intent for example, intent in zip(gold, predicted, strict=True))
    fallback = sum(
        intent == FALLBACK_INTENT and example.intent != intent for example, intent in zip(gold, predicted, strict=True)
    )
    return {
        "examples": len(gold),
        "right": right / total,
        # A different question answered: worse for the customer than being asked to rephrase.
        "wrong": (len(gold) - right - fallback) / total,
        "fallback": fallback / total,
    }


def rates(gold: Sequence[LabelledExample], parsed: Sequence[ParsedText]) -> Dict[str, float]:
    """Rates of the answers as served, and how many off-topic messages were declined."""
    result = _rates(gold, [result.intent for result in parsed])
    off_topic = [result.intent for example, result in zip(gold, parsed, strict=True) if example.intent == OUT_OF_SCOPE]
    result["out_of_scope_examples"] = len(off_topic)
    result["out_of_scope_rejected"] = (
        sum(intent in REJECTIONS for intent in off_topic) / len(off_topic) if off_topic else 0.0
    )
    return result


def per_intent(gold: Sequence[LabelledExample], parsed: Sequence[ParsedText]) -> List[Dict[str, object]]:
    """One row per expected intent, weakest first."""
    grouped: Dict[str, List[int]] = defaultdict(list)
    for index, example in enumerate(gold):
        grouped[example.intent].append(index)
    rows: List[Dict[str, object]] = []
    for intent, indices in grouped.items():
        row: Dict[str, object] = {"intent": intent}
        row.update(_rates([gold[index] for index in indices], [parsed[index].intent for index in indices]))
        rows.append(row)
    return sorted(rows, key=lambda row: (float(str(row["right"])), str(row["intent"])))


def threshold_curve(gold: Sequence[LabelledExample], parsed: Sequence[ParsedText]) -> List[Dict[str, float]]:
    """The rates had the fallback threshold been each of THRESHOLDS (the ambiguity rule left out)."""
    curve = []
    for threshold in THRESHOLDS:
        predicted = [
            result.classifier_intent if result.classifier_confidence >= threshold else FALLBACK_INTENT
            for result in parsed
        ]
        curve.append({"threshold": threshold, **_rates(gold, predicted)})
    return curve


def language_rates(parsed: Sequence[ParsedText], expected: str) -> Dict[str, float]:
    """How often the detector named the set's language, another one, or none (the conversation's then holds)."""
    total = max(len(parsed), 1)
    named = [result.language for result in parsed]
    return {
        "detected": sum(language == expected for language in named) / total,
        "other": sum(bool(language) and language != expected for language in named) / total,
        "undetected": sum(not language for language in named) / total,
    }
