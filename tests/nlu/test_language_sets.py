"""The development and fresh evaluation sets: every intent in every language, none of them in training."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import List, Set

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from tests.nlu.contract import INTENTS, LANGUAGE_SET_DIRS, MIN_LANGUAGE_SET_EXAMPLES, SET_LANGUAGES, normalise

SET_FIXTURES = ["development_set_data", "fresh_set_data"]


def _texts(data: TrainingData) -> Set[str]:
    return {normalise(message.get("text")) for message in data.intent_examples}


def _also_in(data: TrainingData, other: TrainingData) -> List[str]:
    seen = _texts(other)
    return sorted(message.get("text") for message in data.intent_examples if normalise(message.get("text")) in seen)


@pytest.mark.parametrize("set_name", SET_FIXTURES)
def test_no_message_of_the_set_appears_in_training(
    set_name: str, request: pytest.FixtureRequest, training_data: TrainingData
) -> None:
    assert _also_in(request.getfixturevalue(set_name), training_data) == []


@pytest.mark.parametrize("set_name", SET_FIXTURES)
def test_no_message_of_the_set_is_in_the_held_out_set(
    set_name: str, request: pytest.FixtureRequest, holdout_data: TrainingData
) -> None:
    assert _also_in(request.getfixturevalue(set_name), holdout_data) == []


def test_the_fresh_set_shares_no_message_with_the_development_set(
    fresh_set_data: TrainingData, development_set_data: TrainingData
) -> None:
    assert _also_in(fresh_set_data, development_set_data) == []


@pytest.mark.parametrize("directory", sorted(LANGUAGE_SET_DIRS.values()))
@pytest.mark.parametrize("language", SET_LANGUAGES)
def test_every_intent_is_asked_in_every_language(directory: Path, language: str) -> None:
    data = load_data(str(directory / f"{language}.yml"))
    counts = Counter(message.get("intent") for message in data.intent_examples)
    assert set(counts) == set(INTENTS)
    assert {intent: count for intent, count in counts.items() if count < MIN_LANGUAGE_SET_EXAMPLES} == {}
    assert len(_texts(data)) == len(data.intent_examples)


@pytest.mark.parametrize("language", SET_LANGUAGES)
def test_the_fresh_set_is_at_least_as_large_as_the_development_set(language: str) -> None:
    sizes = {
        name: len(load_data(str(path / f"{language}.yml")).intent_examples) for name, path in LANGUAGE_SET_DIRS.items()
    }
    assert sizes["fresh"] >= sizes["development"], sizes
