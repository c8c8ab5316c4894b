"""The Rasa component adds one sentence vector and one vector per token to each message."""

from __future__ import annotations

from typing import Any, Dict

import numpy as np
import pytest
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.sentence_encoder import SentenceEncoderFeaturizer


def featurizer(**overrides: Any) -> SentenceEncoderFeaturizer:
    config: Dict[str, Any] = {**SentenceEncoderFeaturizer.get_default_config(), **overrides}
    return SentenceEncoderFeaturizer(name="sentence_encoder", config=config)


def tokenized(*texts: str) -> list:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message.build(text=text, intent="any") for text in texts]
    tokenizer.process_training_data(TrainingData(training_examples=messages))
    return messages


def test_a_message_gets_sequence_and_sentence_features() -> None:
    (message,) = featurizer().process(tokenized("where is my refund for ORD-100004"))
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (6, 384)
    assert sentence.features.shape == (1, 384)
    assert np.linalg.norm(sentence.features) == pytest.approx(1.0, abs=1e-4)
    assert all(np.abs(row).sum() > 0 for row in sequence.features)
    assert {feature.origin for feature in message.features} == {"sentence_encoder"}


def test_training_data_is_featurized_in_batches_like_single_messages() -> None:
    texts = ("cancel my order", "I want to talk to a human", "hi")
    training = TrainingData(training_examples=tokenized(*texts))
    featurizer(batch_size=2).process_training_data(training)
    (single,) = featurizer().process(tokenized(texts[1]))
    batched_sentence = training.training_examples[1].get_dense_features(TEXT)[1].features
    np.testing.assert_allclose(batched_sentence, single.get_dense_features(TEXT)[1].features, atol=1e-4)


def test_both_backends_describe_a_message_alike() -> None:
    vectors = [
        featurizer(backend=backend)
        .process(tokenized("my parcel never arrived"))[0]
        .get_dense_features(TEXT)[1]
        .features[0]
        for backend in ("numpy", "onnx-int8")
    ]
    assert float(vectors[0] @ vectors[1]) > 0.99


@pytest.mark.parametrize("overrides", [{"backend": "torch"}, {"batch_size": 0}, {"max_pieces": "many"}])
def test_bad_configuration_is_refused(overrides: Dict[str, Any]) -> None:
    with pytest.raises(InvalidConfigException):
        featurizer(**overrides)
