"""Training data and held-out set, each loaded once with Rasa's own loader."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from tests.nlu.contract import HOLDOUT_FILE, SECOND_SET_DIR, TRAINING_DATA_DIR


@pytest.fixture(scope="session")
def training_data() -> TrainingData:
    return load_data(str(TRAINING_DATA_DIR))


@pytest.fixture(scope="session")
def holdout_data() -> TrainingData:
    return load_data(str(HOLDOUT_FILE))


@pytest.fixture(scope="session")
def second_set_data() -> TrainingData:
    return load_data(str(SECOND_SET_DIR))
