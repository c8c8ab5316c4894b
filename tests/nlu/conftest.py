"""Training data and the evaluation sets, each loaded once with Rasa's own loader."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from tests.nlu.contract import DEVELOPMENT_SET_DIR, FRESH_SET_DIR, HOLDOUT_FILE, TRAINING_DATA_DIR


@pytest.fixture(scope="session")
def training_data() -> TrainingData:
    return load_data(str(TRAINING_DATA_DIR))


@pytest.fixture(scope="session")
def holdout_data() -> TrainingData:
    return load_data(str(HOLDOUT_FILE))


@pytest.fixture(scope="session")
def development_set_data() -> TrainingData:
    return load_data(str(DEVELOPMENT_SET_DIR))


@pytest.fixture(scope="session")
def fresh_set_data() -> TrainingData:
    return load_data(str(FRESH_SET_DIR))
