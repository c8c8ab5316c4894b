"""The multilingual featurizer adds one sentence vector per message, close for one question in four languages."""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
import pytest
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.multilingual_encoder import MultilingualSentenceFeaturizer


def featurizer(**overrides: Any) -> MultilingualSentenceFeaturizer:
    config: Dict[str, Any] = {**MultilingualSentenceFeaturizer.get_default_config(), **overrides}
    return MultilingualSentenceFeaturizer(name="multilingual_encoder", config=config)


def tokenized(*texts: str) -> List[Message]:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message.build(text=text, intent="any") for text in texts]
    tokenizer.process_training_data(TrainingData(training_examples=messages))
    return messages


def sentence_of(message: Message) -> np.ndarray:
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    return sentence.features[0]


def test_a_message_gets_one_normalised_sentence_vector() -> None:
    (message,) = featurizer().process(tokenized("where is my refund for ORD-100004"))
    vector = sentence_of(message)
    assert vector.shape == (384,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-3)
    assert {feature.origin for feature in message.features} == {"multilingual_encoder"}


def test_training_data_is_featurized_in_batches_like_single_messages() -> None:
    texts = ("cancel my order", "quiero hablar con una persona", "hallo")
    training = TrainingData(training_examples=tokenized(*texts))
    featurizer(batch_size=2).process_training_data(training)
    (single,) = featurizer().process(tokenized(texts[1]))
    np.testing.assert_allclose(sentence_of(training.training_examples[1]), sentence_of(single), atol=1e-3)


def test_one_question_in_other_languages_is_closer_than_another_question_in_them() -> None:
    refund = [
        "where is my refund",
        "¿dónde está mi reembolso?",
        "où est mon remboursement ?",
        "wo bleibt meine Erstattung?",
    ]
    account = [
        "how do I delete my account",
        "¿cómo borro mi cuenta?",
        "comment supprimer mon compte ?",
        "wie lösche ich mein Konto?",
    ]
    vectors = np.array([sentence_of(message) for message in featurizer().process(tokenized(*refund, *account))])
    for index, text in enumerate(refund + account):
        language = index % 4
        same = [row for row in range(8) if row != index and row % 4 != language and (row < 4) == (index < 4)]
        other = [row for row in range(8) if row % 4 != language and (row < 4) != (index < 4)]
        # Averaged: the vectors lean a little towards their own language, never enough to swap the questions.
        assert (vectors[same] @ vectors[index]).mean() > (vectors[other] @ vectors[index]).mean(), text


def test_a_non_positive_thread_count_is_refused() -> None:
    with pytest.raises(InvalidConfigException):
        MultilingualSentenceFeaturizer.validate_config(
            {**MultilingualSentenceFeaturizer.get_default_config(), "threads": 0}
        )
