"""The held-out set is a fair exam: unseen messages, every intent, only the contract's entities."""

from __future__ import annotations

from collections import Counter
from typing import Dict, List

import pytest
from rasa.shared.nlu.training_data.training_data import TrainingData

from tests.nlu.contract import (
    ENTITIES,
    INTENTS,
    MIN_HOLDOUT_EXAMPLES,
    minimum_training_examples,
    normalise,
)


def _examples_per_intent(data: TrainingData) -> Counter:
    return Counter(message.get("intent") for message in data.intent_examples)


def _annotated_entity_names(data: TrainingData) -> Counter:
    return Counter(entity["entity"] for message in data.intent_examples for entity in message.get("entities") or [])


def test_no_held_out_message_appears_in_training(training_data: TrainingData, holdout_data: TrainingData) -> None:
    seen_in_training = {normalise(message.get("text")) for message in training_data.intent_examples}
    leaked = sorted(
        message.get("text")
        for message in holdout_data.intent_examples
        if normalise(message.get("text")) in seen_in_training
    )
    assert leaked == []


@pytest.mark.parametrize("data_name", ["training_data", "holdout_data"])
def test_no_message_is_written_twice(data_name: str, request: pytest.FixtureRequest) -> None:
    data: TrainingData = request.getfixturevalue(data_name)
    counts = Counter(normalise(message.get("text")) for message in data.intent_examples)
    assert sorted(text for text, count in counts.items() if count > 1) == []


def test_training_data_has_every_contract_intent_and_no_other(training_data: TrainingData) -> None:
    assert set(_examples_per_intent(training_data)) == INTENTS


def test_holdout_has_every_contract_intent_and_no_other(holdout_data: TrainingData) -> None:
    assert set(_examples_per_intent(holdout_data)) == INTENTS


def test_every_intent_has_enough_training_examples(training_data: TrainingData) -> None:
    counts = _examples_per_intent(training_data)
    too_few: Dict[str, int] = {
        intent: counts[intent] for intent in INTENTS if counts[intent] < minimum_training_examples(intent)
    }
    assert too_few == {}


def test_every_intent_has_enough_held_out_examples(holdout_data: TrainingData) -> None:
    counts = _examples_per_intent(holdout_data)
    too_few = {intent: counts[intent] for intent in INTENTS if counts[intent] < MIN_HOLDOUT_EXAMPLES}
    assert too_few == {}


@pytest.mark.parametrize("data_name", ["training_data", "holdout_data"])
def test_only_contract_entities_are_annotated(data_name: str, request: pytest.FixtureRequest) -> None:
    data: TrainingData = request.getfixturevalue(data_name)
    names = _annotated_entity_names(data)
    assert set(names) - ENTITIES == set()


def test_held_out_set_exercises_every_entity(holdout_data: TrainingData) -> None:
    assert set(_annotated_entity_names(holdout_data)) == ENTITIES


def test_examples_are_never_empty(training_data: TrainingData, holdout_data: TrainingData) -> None:
    empty: List[str] = [
        message.get("intent")
        for data in (training_data, holdout_data)
        for message in data.intent_examples
        if not message.get("text", "").strip()
    ]
    assert empty == []
