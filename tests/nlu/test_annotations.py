"""Annotations agree with what the pipeline really extracts, so entity scores measure the extractors."""

from __future__ import annotations

import re
from typing import Iterable, List, Tuple

import pytest
from rasa.nlu.utils.pattern_utils import extract_patterns
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.spacy_pipeline import build_pipeline
from bot.store.catalog import PRODUCTS
from tests.nlu.contract import RATING_VALUES

Span = Tuple[int, int, str]

# Entities the project's spaCy entity ruler finds; `rating` comes from the regexes in the training data.
RULER_ENTITIES = ("order_number", "product", "email")


@pytest.fixture(scope="module")
def entity_ruler():
    return build_pipeline()


@pytest.fixture(scope="module")
def rating_patterns(training_data: TrainingData) -> List[dict]:
    # The same call RegexEntityExtractor makes when it trains.
    patterns = extract_patterns(training_data, use_lookup_tables=False, use_only_entities=True)
    return [pattern for pattern in patterns if pattern["name"] == "rating"]


def _annotated_spans(message, names: Iterable[str]) -> List[Span]:
    return sorted(
        (entity["start"], entity["end"], entity["entity"])
        for entity in message.get("entities") or []
        if entity["entity"] in names
    )


def _describe(text: str, spans: List[Span]) -> List[Tuple[str, str]]:
    return [(text[start:end], name) for start, end, name in spans]


@pytest.mark.parametrize("data_name", ["training_data", "holdout_data", "development_set_data", "fresh_set_data"])
def test_ruler_finds_exactly_the_annotated_products_orders_and_emails(
    data_name: str, request: pytest.FixtureRequest, entity_ruler
) -> None:
    data: TrainingData = request.getfixturevalue(data_name)
    disagreements = []
    for message in data.intent_examples:
        text = message.get("text")
        found = sorted((ent.start_char, ent.end_char, ent.label_) for ent in entity_ruler(text).ents)
        annotated = _annotated_spans(message, RULER_ENTITIES)
        if found != annotated:
            disagreements.append((text, _describe(text, annotated), _describe(text, found)))
    assert disagreements == []


@pytest.mark.parametrize("data_name", ["training_data", "holdout_data", "development_set_data", "fresh_set_data"])
def test_rating_regexes_find_exactly_the_annotated_ratings(
    data_name: str, request: pytest.FixtureRequest, rating_patterns: List[dict]
) -> None:
    data: TrainingData = request.getfixturevalue(data_name)
    disagreements = []
    for message in data.intent_examples:
        text = message.get("text")
        found = sorted(
            (match.start(), match.end(), "rating")
            for pattern in rating_patterns
            for match in re.finditer(pattern["pattern"], text, flags=re.IGNORECASE)
        )
        annotated = _annotated_spans(message, ("rating",))
        if found != annotated:
            disagreements.append((text, _describe(text, annotated), _describe(text, found)))
    assert disagreements == []


@pytest.mark.parametrize("data_name", ["training_data", "holdout_data", "development_set_data", "fresh_set_data"])
def test_every_rating_maps_to_a_digit_from_one_to_five(
    data_name: str, request: pytest.FixtureRequest, training_data: TrainingData
) -> None:
    data: TrainingData = request.getfixturevalue(data_name)
    synonyms = training_data.entity_synonyms
    values = {
        synonyms.get(entity["value"].lower(), entity["value"])
        for message in data.intent_examples
        for entity in message.get("entities") or []
        if entity["entity"] == "rating"
    }
    assert values and values <= RATING_VALUES


def test_every_rate_example_carries_a_rating(training_data: TrainingData, holdout_data: TrainingData) -> None:
    unrated = [
        message.get("text")
        for data in (training_data, holdout_data)
        for message in data.intent_examples
        if message.get("intent") == "rate" and not _annotated_spans(message, ("rating",))
    ]
    assert unrated == []


def test_product_lookup_table_lists_every_catalog_name_and_alias(training_data: TrainingData) -> None:
    tables = [table for table in training_data.lookup_tables if table["name"] == "product"]
    assert len(tables) == 1
    in_table = {element.lower() for element in tables[0]["elements"]}
    in_catalog = {name for product in PRODUCTS for name in product.names()}
    assert in_table == in_catalog
