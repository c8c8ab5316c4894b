"""Rasa NLU intent classifier: a linear SVM over sentence features, with calibrated confidences."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

from bot.rasa_server.nlu.arrays import Float32Array, Float64Array, FloatArray, LabelRows, Names
from bot.rasa_server.nlu.config_checks import require_positive_integers, require_positive_numbers
from bot.rasa_server.nlu.sentence_blocks import SentenceFeatureBlocks, SparseRow
from bot.rasa_server.nlu.softmax_calibration import fit_temperature, softmax

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent_classifier.npz"
INTENT_RANKING = "intent_ranking"


@dataclass(frozen=True)
class LinearIntentModel:
    """What prediction needs: per-intent weights, the feature layout and the confidence temperature."""

    intents: Names
    weights: Float32Array
    intercepts: Float32Array
    temperature: float
    blocks: SentenceFeatureBlocks

    def probabilities(self, features: scipy.sparse.csr_matrix) -> Float64Array:
        scores: FloatArray = np.asarray(features @ self.weights.T) + self.intercepts
        return softmax(scores, self.temperature)

    @functools.cached_property
    def weights_by_feature(self) -> Float32Array:
        """The weights with one contiguous row per feature, so that one message's columns are read at once."""
        return np.ascontiguousarray(self.weights.T)

    def probabilities_of(self, row: SparseRow) -> Float64Array:
        """`probabilities` of one message's row: its values times the weights of its columns only."""
        scores: FloatArray = row.values @ self.weights_by_feature[row.columns] + self.intercepts
        probabilities: Float64Array = softmax(scores.reshape(1, -1), self.temperature)[0]
        return probabilities


def _fit_linear_svm(
    features: scipy.sparse.csr_matrix, label_rows: LabelRows, intent_count: int, config: Dict[Text, Any]
) -> Tuple[Float32Array, Float32Array]:
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


def _held_out_scores(
    features: scipy.sparse.csr_matrix, label_rows: LabelRows, intent_count: int, config: Dict[Text, Any]
) -> Optional[Float64Array]:
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Classifies intents from the sentence features of every featurizer before it.

    Confidences are a softmax of the SVM's scores at a temperature fitted on cross-validated
    scores, so that a FallbackClassifier threshold means roughly the same across data sets.
    """

    @classmethod
    def required_components(cls) -> List[Type[Any]]:
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
        require_positive_numbers(cls.__name__, config, ("C", "sentence_vector_weight"))
        require_positive_integers(cls.__name__, config, ("max_iter", "calibration_folds"))

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
        examples = [example for example in training_data.intent_examples if example.get(INTENT) and example.get(TEXT)]
        self.model = train_linear_model(examples, self.config)
        if self.model is None:
            logger.warning(f"{self.__class__.__name__}: no intent examples, nothing to train.")
            return self._resource
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self.model is None or not message.get(TEXT):
                # Nothing to classify: no intent, which the FallbackClassifier turns into a fallback.
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING, [], add_to_output=True)
                continue
            probabilities = self.model.probabilities_of(self.model.blocks.row_of(message))
            self._set_prediction(message, self.model.intents, probabilities)
        return messages

    def _set_prediction(self, message: Message, intents: Names, probabilities: Float64Array) -> None:
        order = np.argsort(-probabilities, kind="stable")
        ranking = [
            {INTENT_NAME_KEY: str(intents[index]), PREDICTED_CONFIDENCE_KEY: float(probabilities[index])}
            for index in order
        ]
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING, ranking, add_to_output=True)

    def persist(self) -> None:
        if self.model is None:
            return
        model = self.model
        with self._model_storage.write_to(self._resource) as directory:
            np.savez_compressed(
                directory / MODEL_FILE,
                intents=model.intents.astype(str),
                weights=model.weights,
                intercepts=model.intercepts,
                temperature=np.array(model.temperature),
                **model.blocks.to_arrays(),
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
            # No pickles: the model is plain arrays, so loading it runs no stored code.
            with (
                model_storage.read_from(resource) as directory,
                np.load(directory / MODEL_FILE, allow_pickle=False) as stored,
            ):
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
