"""Intent and entity scores computed by the harness."""

from __future__ import annotations

import pytest

from benchmarks.nlu_data import EntitySpan, LabelledExample
from benchmarks.nlu_metrics import confusion, entity_f1, score, worst_understood
from benchmarks.nlu_model import ParsedText


def parsed(intent: str, confidence: float = 0.9, entities: tuple = (), text: str = "t") -> ParsedText:
    return ParsedText(text=text, intent=intent, confidence=confidence, entities=entities, seconds=0.004)


GOLD = [
    LabelledExample("where is ORD-100001", "track_order", (EntitySpan(9, 19, "order_number", "ORD-100001"),)),
    LabelledExample("cancel it", "cancel_order"),
    LabelledExample("hello", "greet"),
    LabelledExample("blah", "greet"),
]


def test_fallbacks_count_as_misses_and_are_reported() -> None:
    predictions = [
        parsed("track_order", entities=((9, 19, "order_number"),)),
        parsed("cancel_order"),
        parsed("greet"),
        parsed("nlu_fallback", confidence=0.3),
    ]
    scores = score(GOLD, predictions)
    assert scores.intent_accuracy == pytest.approx(0.75)
    assert scores.fallback_rate == pytest.approx(0.25)
    # greet: precision 1, recall 0.5 -> F1 2/3; the other two intents are perfect.
    assert scores.intent_macro_f1 == pytest.approx((1 + 1 + 2 / 3) / 3)
    assert scores.entity_f1 == pytest.approx(1.0)
    assert scores.parse_p50_ms == pytest.approx(4.0)


def test_entity_spans_must_match_exactly() -> None:
    predictions = [parsed("track_order", entities=((9, 18, "order_number"), (0, 5, "product")))] + [
        parsed("x") for _ in GOLD[1:]
    ]
    assert entity_f1(GOLD, predictions) == pytest.approx(0.0)


def test_worst_lists_confident_mistakes_first() -> None:
    predictions = [
        parsed("track_order", confidence=0.55, text=GOLD[0].text),
        parsed("greet", confidence=0.97, text=GOLD[1].text),
        parsed("greet", confidence=0.99, text=GOLD[2].text),
        parsed("cancel_order", confidence=0.6, text=GOLD[3].text),
    ]
    worst = worst_understood(GOLD, predictions, count=3)
    assert [row["text"] for row in worst] == ["cancel it", "blah", "where is ORD-100001"]


def test_confusion_matrix_rows_are_expected_intents() -> None:
    predictions = [parsed("track_order"), parsed("greet"), parsed("greet"), parsed("greet")]
    result = confusion(GOLD, predictions)
    labels = result["labels"]
    row = result["matrix"][labels.index("cancel_order")]
    assert row[labels.index("greet")] == 1
    assert sum(map(sum, result["matrix"])) == len(GOLD)
