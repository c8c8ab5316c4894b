"""The linear intent classifier learns from real training data, survives a save and load, and ranks intents."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.nlu.linear_intent_classifier import LinearIntentClassifier
from bot.rasa_server.nlu.sentence_encoder import SentenceEncoderFeaturizer
from bot.shared.settings import PROJECT_ROOT

INTENTS = ("cancel_order", "track_order", "greet", "goodbye", "payment_methods", "human_handoff")


class Featurizers:
    """A tokenizer, word and character count vectors and the sentence encoder, as config.yml chains them."""

    def __init__(self, storage: LocalModelStorage) -> None:
        self.tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
        self.words = CountVectorsFeaturizer.create(
            CountVectorsFeaturizer.get_default_config(),
            storage,
            Resource("words"),
            ExecutionContext(GraphSchema({}), "test-model", node_name="words"),
        )
        self.characters = CountVectorsFeaturizer.create(
            {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            storage,
            Resource("characters"),
            ExecutionContext(GraphSchema({}), "test-model", node_name="characters"),
        )
        self.encoder = SentenceEncoderFeaturizer(
            name="sentence_encoder", config=SentenceEncoderFeaturizer.get_default_config()
        )

    def train(self, training: TrainingData) -> None:
        self.tokenizer.process_training_data(training)
        for featurizer in (self.words, self.characters):
            featurizer.train(training)
            featurizer.process_training_data(training)
        self.encoder.process_training_data(training)

    def featurize(self, *texts: str) -> List[Message]:
        messages = [Message(data={TEXT: text}) for text in texts]
        self.tokenizer.process(messages)
        self.words.process(messages)
        self.characters.process(messages)
        self.encoder.process(messages)
        return messages


def real_training_data(intents=INTENTS) -> TrainingData:
    full = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    return TrainingData(
        training_examples=[
            Message(data={TEXT: example.get(TEXT), INTENT: example.get(INTENT)})
            for example in full.intent_examples
            if example.get(INTENT) in intents
        ]
    )


def holdout_examples(intents=INTENTS) -> List[tuple]:
    held_out = load_data(str(PROJECT_ROOT / "tests" / "nlu" / "holdout.yml"))
    return [
        (example.get(TEXT), example.get(INTENT))
        for example in held_out.intent_examples
        if example.get(INTENT) in intents
    ]


def classifier(storage: LocalModelStorage, **overrides: Any) -> LinearIntentClassifier:
    return LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **overrides},
        storage,
        Resource("intents"),
        ExecutionContext(GraphSchema({}), "test-model", node_name="intents"),
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model-storage"))
    featurizers = Featurizers(storage)
    training = real_training_data()
    featurizers.train(training)
    component = classifier(storage, ranking_length=0)
    component.train(training)
    return {"storage": storage, "featurizers": featurizers, "component": component}


def load_trained(trained: Dict[str, Any]) -> LinearIntentClassifier:
    return LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "ranking_length": 0},
        trained["storage"],
        Resource("intents"),
        ExecutionContext(GraphSchema({}), "test-model", node_name="intents"),
    )


def test_held_out_texts_are_mostly_understood_after_a_save_and_load(trained: Dict[str, Any]) -> None:
    examples = holdout_examples()
    messages = trained["featurizers"].featurize(*(text for text, _ in examples))
    load_trained(trained).process(messages)
    predicted = [message.get(INTENT)["name"] for message in messages]
    correct = sum(prediction == intent for prediction, (_, intent) in zip(predicted, examples, strict=True))
    assert len(examples) >= 30
    assert correct / len(examples) >= 0.8, list(zip(predicted, examples, strict=True))


def test_loaded_model_predicts_what_the_trained_one_did(trained: Dict[str, Any]) -> None:
    texts = ("where's my parcel", "hello there", "I'd like to speak to a person")
    original = trained["component"].process(trained["featurizers"].featurize(*texts))
    loaded = load_trained(trained).process(trained["featurizers"].featurize(*texts))
    for before, after in zip(original, loaded, strict=True):
        assert before.get("intent_ranking") == after.get("intent_ranking")


def test_one_message_at_a_time_gives_the_batch_probabilities(trained: Dict[str, Any]) -> None:
    model = trained["component"].model
    messages = trained["featurizers"].featurize("where's my parcel", "hello there", "refund for ORD-100004 please")
    in_one_batch = model.probabilities(model.blocks.transform(messages))
    one_by_one = np.vstack([model.probabilities_of(model.blocks.row_of(message)) for message in messages])
    np.testing.assert_allclose(one_by_one, in_one_batch, rtol=1e-5, atol=1e-7)


def test_confidences_form_a_ranked_distribution(trained: Dict[str, Any]) -> None:
    (message,) = trained["component"].process(trained["featurizers"].featurize("please cancel order ORD-100004"))
    ranking = message.get("intent_ranking")
    confidences = [entry["confidence"] for entry in ranking]
    assert {entry["name"] for entry in ranking} == set(INTENTS)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-6)
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= confidence <= 1.0 for confidence in confidences)
    assert message.get(INTENT) == ranking[0]
    assert ranking[0]["name"] == "cancel_order"
    # Calibrated, not certain: held-out scores set the temperature.
    assert 0.5 < ranking[0]["confidence"] < 1.0


def test_ranking_length_cuts_the_list(tmp_path: Path, trained: Dict[str, Any]) -> None:
    component = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "ranking_length": 2},
        trained["storage"],
        Resource("intents"),
        ExecutionContext(GraphSchema({}), "test-model", node_name="intents"),
    )
    (message,) = component.process(trained["featurizers"].featurize("bye for now"))
    assert len(message.get("intent_ranking")) == 2
    assert message.get(INTENT)["name"] == "goodbye"


def test_an_empty_text_gets_no_intent_and_then_the_fallback(trained: Dict[str, Any]) -> None:
    messages = trained["featurizers"].featurize("", "   ", "hi")
    trained["component"].process(messages)
    assert messages[0].get(INTENT) == {"name": None, "confidence": 0.0}
    assert messages[0].get("intent_ranking") == []
    assert messages[1].get(INTENT)["name"] in INTENTS
    assert messages[2].get(INTENT)["name"] == "greet"
    FallbackClassifier(FallbackClassifier.get_default_config()).process(messages[:1])
    assert messages[0].get(INTENT)["name"] == "nlu_fallback"


def test_one_intent_is_predicted_with_certainty(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    featurizers = Featurizers(storage)
    training = real_training_data(("greet",))
    featurizers.train(training)
    component = classifier(storage)
    component.train(training)
    (message,) = component.process(featurizers.featurize("good morning"))
    assert message.get(INTENT) == {"name": "greet", "confidence": pytest.approx(1.0)}


def test_an_untrained_model_leaves_messages_unclassified(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    component = classifier(storage)
    component.train(TrainingData())
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(),
        storage,
        Resource("intents"),
        ExecutionContext(GraphSchema({}), "test-model", node_name="intents"),
    )
    (message,) = loaded.process([Message(data={TEXT: "hello"})])
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}


@pytest.mark.parametrize(
    "overrides",
    [{"C": 0}, {"C": "strong"}, {"sentence_vector_weight": -1}, {"calibration_folds": 0}, {"max_iter": 1.5}],
)
def test_bad_configuration_is_refused(tmp_path: Path, overrides: Dict[str, Any]) -> None:
    with pytest.raises(InvalidConfigException):
        classifier(LocalModelStorage(tmp_path), **overrides)
