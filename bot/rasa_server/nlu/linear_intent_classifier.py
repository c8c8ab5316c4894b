"""Rasa NLU intent classifier: a linear SVM over sentence features, with calibrated confidences."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

from bot.nlu.sentence_blocks import SentenceFeatureBlocks
from bot.nlu.softmax_calibration import fit_temperature, softmax

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent_classifier.npz"
INTENT_RANKING = "intent_ranking"


@dataclass(frozen=True)
class LinearIntentModel:
    """What prediction needs: per-intent weights, the feature layout and the confidence temperature."""

    intents: np.ndarray
    weights: np.ndarray
    intercepts: np.ndarray
    temperature: float
    blocks: SentenceFeatureBlocks

    def probabilities(self, features: scipy.sparse.csr_matrix) -> np.ndarray:
        scores = np.asarray(features @ self.weights.T) + self.intercepts
        return softmax(scores, self.temperature)


def _fit_linear_svm(features: scipy.sparse.csr_matrix, label_rows: np.ndarray, intent_count: int, config: Dict[Text, Any]):
    """Weights (intents x features) and intercepts of a one-vs-rest linear SVM, for every intent."""
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=config["C"], max_iter=config["max_iter"], random_state=config["random_seed"])
    svm.fit(features, label_rows)
    weights = np.full((intent_count, features.shape[1]), 0.0, dtype=np.float32)
    # An intent absent from a cross-validation fold must never win: a very low intercept.
    intercepts = np.full(intent_count, -1e3, dtype=np.float32)
    if len(svm.classes_) == 2:
        # scikit-learn keeps one weight vector for two classes; the softmax needs one per intent.
        coefficient, intercept = svm.coef_[0], svm.intercept_[0]
        weights[svm.classes_] = np.vstack([-coefficient, coefficient])
        intercepts[svm.classes_] = [-intercept, intercept]
    else:
        weights[svm.classes_] = svm.coef_
        intercepts[svm.classes_] = svm.intercept_
    return weights, intercepts


def _held_out_scores(features: scipy.sparse.csr_matrix, label_rows: np.ndarray, intent_count: int, config: Dict[Text, Any]):
    """Scores of every example by a model that did not see it, or None if an intent is too rare to split."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(config["calibration_folds"], int(np.bincount(label_rows).min()))
    if folds < 2 or len(np.unique(label_rows)) < 2:
        return None
    scores = np.zeros((len(label_rows), intent_count), dtype=np.float64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config["random_seed"])
    for train_rows, test_rows in splitter.split(np.zeros(len(label_rows)), label_rows):
        weights, intercepts = _fit_linear_svm(features[train_rows], label_rows[train_rows], intent_count, config)
        scores[test_rows] = np.asarray(features[test_rows] @ weights.T) + intercepts
    return scores


def train_linear_model(messages: List[Message], config: Dict[Text, Any]) -> Optional[LinearIntentModel]:
    """Fits the feature layout, the SVM and its temperature; None when there is nothing to learn from."""
    if not messages:
        return None
    blocks = SentenceFeatureBlocks.fit(messages, dense_weight=config["sentence_vector_weight"])
    features = blocks.transform(messages)
    intents, label_rows = np.unique([message.get(INTENT) for message in messages], return_inverse=True)
    if len(intents) == 1:
        return LinearIntentModel(
            intents=intents,
            weights=np.zeros((1, features.shape[1]), dtype=np.float32),
            intercepts=np.zeros(1, dtype=np.float32),
            temperature=1.0,
            blocks=blocks,
        )
    weights, intercepts = _fit_linear_svm(features, label_rows, len(intents), config)
    scores = _held_out_scores(features, label_rows, len(intents), config)
    if scores is None:
        # Too few examples to hold any out: the training scores are over-sure, but still rank.
        scores = np.asarray(features @ weights.T) + intercepts
    temperature = fit_temperature(scores, label_rows)
    logger.debug(f"Linear intent classifier: {len(intents)} intents, temperature {temperature:.4f}.")
    return LinearIntentModel(intents, weights, intercepts, temperature, blocks)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Classifies intents from the sentence features of every featurizer before it.

    Confidences are a softmax of the SVM's scores at a temperature fitted on cross-validated
    scores, so that a FallbackClassifier threshold means roughly the same across data sets.
    """

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "scipy"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Inverse regularisation strength of the linear SVM.
            "C": 1.0,
            # How much dense sentence vectors count beside each sparse block (all scaled to length one).
            "sentence_vector_weight": 1.0,
            "max_iter": 2000,
            # Folds whose held-out scores fit the confidence temperature.
            "calibration_folds": 3,
            "random_seed": 42,
            RANKING_LENGTH: LABEL_RANKING_LENGTH,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        for key in ("C", "sentence_vector_weight"):
            value = config.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be a positive number, got {value!r}.")
        for key in ("max_iter", "calibration_folds"):
            value = config.get(key)
            if not isinstance(value, int) or value < 1:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be a positive integer, got {value!r}.")

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[LinearIntentModel] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        cls.validate_config({**cls.get_default_config(), **config})
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            example for example in training_data.intent_examples
            if example.get(INTENT) and example.get(TEXT)
        ]
        self.model = train_linear_model(examples, self.config)
        if self.model is None:
            logger.warning(f"{self.__class__.__name__}: no intent examples, nothing to train.")
            return self._resource
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        with_text = [message for message in messages if message.get(TEXT)]
        probabilities = (
            self.model.probabilities(self.model.blocks.transform(with_text))
            if self.model is not None and with_text
            else np.zeros((0, 0))
        )
        rows = {id(message): row for row, message in enumerate(with_text)}
        for message in messages:
            row = rows.get(id(message))
            if row is None or self.model is None:
                # Nothing to classify: no intent, which the FallbackClassifier turns into a fallback.
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING, [], add_to_output=True)
                continue
            self._set_prediction(message, probabilities[row])
        return messages

    def _set_prediction(self, message: Message, probabilities: np.ndarray) -> None:
        order = np.argsort(-probabilities, kind="stable")
        ranking = [
            {INTENT_NAME_KEY: str(self.model.intents[index]), PREDICTED_CONFIDENCE_KEY: float(probabilities[index])}
            for index in order
        ]
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING, ranking, add_to_output=True)

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez_compressed(
                directory / MODEL_FILE,
                intents=self.model.intents.astype(str),
                weights=self.model.weights,
                intercepts=self.model.intercepts,
                temperature=np.array(self.model.temperature),
                **self.model.blocks.to_arrays(),
            )

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                # No pickles: the model is plain arrays, so loading it runs no stored code.
                with np.load(directory / MODEL_FILE, allow_pickle=False) as stored:
                    arrays = {name: stored[name] for name in stored.files}
        except (ValueError, FileNotFoundError):
            logger.warning(f"{cls.__name__}: no trained model in '{resource.name}', intents will not be classified.")
            return cls(config, model_storage, resource)
        model = LinearIntentModel(
            intents=arrays["intents"],
            weights=arrays["weights"],
            intercepts=arrays["intercepts"],
            temperature=float(arrays["temperature"]),
            blocks=SentenceFeatureBlocks.from_arrays(arrays),
        )
        return cls(config, model_storage, resource, model)
