"""The numpy MiniLM encoder gives normalised sentence vectors that put paraphrases together."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.rasa_server.nlu.minilm_encoder import MiniLMEncoder
from bot.rasa_server.nlu.minilm_files import EncoderFilesMissing, load_encoder_files
from bot.rasa_server.nlu.sentence_encoder import BACKENDS, build_encoder, shared_encoder


@pytest.fixture(scope="module", params=BACKENDS)
def encoder(request: pytest.FixtureRequest) -> MiniLMEncoder:
    return shared_encoder(request.param, None, 128)


def cosine(first: np.ndarray, second: np.ndarray) -> float:
    return float(first @ second / (np.linalg.norm(first) * np.linalg.norm(second)))


def test_paraphrases_are_closer_than_unrelated_sentences(encoder: MiniLMEncoder) -> None:
    password, forgot, parcel, weather = [
        encoded.sentence_vector
        for encoded in encoder.encode(
            [
                "How do I reset my password?",
                "I forgot my password and cannot log in",
                "My parcel has not arrived yet",
                "The weather is lovely today",
            ]
        )
    ]
    assert cosine(password, forgot) > 0.6
    assert cosine(password, forgot) > cosine(password, parcel) + 0.3
    assert cosine(parcel, weather) < 0.3


def test_sentence_vectors_are_unit_length(encoder: MiniLMEncoder) -> None:
    for encoded in encoder.encode(["hi", "where is my order ORD-100123 please"]):
        assert np.linalg.norm(encoded.sentence_vector) == pytest.approx(1.0, abs=1e-5)


def test_padding_in_a_batch_does_not_change_a_text(encoder: MiniLMEncoder) -> None:
    short_text = "cancel my order"
    alone = encoder.encode([short_text])[0]
    in_batch = encoder.encode(
        [short_text, "a much longer message about a refund that has still not shown up on my card"]
    )[0]
    np.testing.assert_allclose(alone.sentence_vector, in_batch.sentence_vector, atol=1e-5)
    np.testing.assert_allclose(alone.piece_vectors, in_batch.piece_vectors, atol=1e-4)


def test_piece_spans_point_into_the_original_text(encoder: MiniLMEncoder) -> None:
    text = "Refund ORD-100123"
    encoded = encoder.encode([text])[0]
    assert len(encoded.piece_offsets) == encoded.piece_vectors.shape[0]
    assert encoded.piece_vectors.shape[1] == encoder.hidden_size
    pieces = [text[start:end].lower() for start, end in encoded.piece_offsets if end > start]
    assert "".join(pieces) == "refundord-100123"


def test_long_texts_are_truncated_to_the_piece_limit() -> None:
    encoded = build_encoder("onnx-int8", None, max_pieces=16).encode(["order " * 100])[0]
    assert encoded.piece_vectors.shape[0] == 16


def test_numpy_forward_pass_agrees_with_the_independent_onnx_export() -> None:
    """The numpy BERT is checked against an ONNX export made by other tools from the same model."""
    texts = ["I was charged twice for ORD-100004", "can you recommend a laptop", "hi"]
    float32 = shared_encoder("numpy", None, 128).encode(texts)
    int8 = shared_encoder("onnx-int8", None, 128).encode(texts)
    for mine, reference in zip(float32, int8, strict=True):
        assert float(mine.sentence_vector @ reference.sentence_vector) > 0.99
        assert mine.piece_offsets == reference.piece_offsets


def test_missing_onnx_file_is_reported_clearly(tmp_path: Path) -> None:
    with pytest.raises(EncoderFilesMissing, match="no ONNX sentence encoder"):
        build_encoder("onnx-int8", str(tmp_path / "missing.onnx"), 128)


def test_missing_weights_are_reported_clearly(tmp_path: Path) -> None:
    with pytest.raises(EncoderFilesMissing, match="no sentence-encoder weights"):
        load_encoder_files(tmp_path / "nothing.zip")
