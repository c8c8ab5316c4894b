"""The second evaluation set: every intent in every language, and nothing of it in the training data."""

from __future__ import annotations

from collections import Counter

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from tests.nlu.contract import INTENTS, MIN_SECOND_SET_EXAMPLES, SECOND_SET_DIR, SECOND_SET_LANGUAGES, normalise


def test_no_message_of_the_second_set_appears_in_training(
    training_data: TrainingData, second_set_data: TrainingData
) -> None:
    seen = {normalise(message.get("text")) for message in training_data.intent_examples}
    assert [
        message.get("text") for message in second_set_data.intent_examples if normalise(message.get("text")) in seen
    ] == []


def test_no_message_of_the_second_set_is_in_the_held_out_set(
    holdout_data: TrainingData, second_set_data: TrainingData
) -> None:
    held_out = {normalise(message.get("text")) for message in holdout_data.intent_examples}
    assert [
        message.get("text") for message in second_set_data.intent_examples if normalise(message.get("text")) in held_out
    ] == []


@pytest.mark.parametrize("language", SECOND_SET_LANGUAGES)
def test_every_intent_is_asked_in_every_language(language: str) -> None:
    data = load_data(str(SECOND_SET_DIR / f"{language}.yml"))
    counts = Counter(message.get("intent") for message in data.intent_examples)
    assert set(counts) == set(INTENTS)
    assert {intent: count for intent, count in counts.items() if count < MIN_SECOND_SET_EXAMPLES} == {}
    assert len({normalise(message.get("text")) for message in data.intent_examples}) == len(data.intent_examples)
