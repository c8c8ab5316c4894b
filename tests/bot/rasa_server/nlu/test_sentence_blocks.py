"""Each featurizer's sentence features become one unit-length block of a message's row."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.sentence_blocks import SentenceFeatureBlocks


def message(words: list, dense: list | None) -> Message:
    built = Message(data={TEXT: "text"})
    built.add_features(Features(scipy.sparse.coo_matrix([words]), FEATURE_TYPE_SENTENCE, TEXT, "words"))
    built.add_features(
        Features(scipy.sparse.coo_matrix([[1, 1] + [0] * (len(words) - 2)]), FEATURE_TYPE_SEQUENCE, TEXT, "words")
    )
    if dense is not None:
        built.add_features(Features(np.array([dense]), FEATURE_TYPE_SENTENCE, TEXT, "encoder"))
    return built


def test_blocks_are_weighted_and_normalised_one_by_one() -> None:
    training = [message([1, 0, 3], [0.6, 0.8]), message([1, 1, 0], [1.0, 0.0])]
    blocks = SentenceFeatureBlocks.fit(training)
    rows = blocks.transform(training).toarray()
    assert [block.origin for block in blocks.blocks] == ["encoder", "words"]
    assert rows.shape == (2, 5)
    np.testing.assert_allclose(np.linalg.norm(rows[:, :2], axis=1), [1.0, 1.0], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(rows[:, 2:], axis=1), [1.0, 1.0], atol=1e-6)
    # The word both examples share weighs less than the words only one of them has.
    assert rows[1, 2] < rows[1, 3]


def test_a_missing_block_stays_zero() -> None:
    blocks = SentenceFeatureBlocks.fit([message([1, 0, 1], [0.6, 0.8])])
    row = blocks.transform([message([0, 1, 0], None)]).toarray()[0]
    assert row[:2] == pytest.approx([0.0, 0.0])
    assert np.linalg.norm(row[2:]) == pytest.approx(1.0)


def test_the_layout_survives_a_round_trip_through_arrays() -> None:
    training = [message([2, 0, 1], [0.6, 0.8]), message([0, 1, 1], [0.0, 1.0])]
    blocks = SentenceFeatureBlocks.fit(training)
    restored = SentenceFeatureBlocks.from_arrays(blocks.to_arrays())
    np.testing.assert_allclose(restored.transform(training).toarray(), blocks.transform(training).toarray())
    assert restored.width == 5


def test_the_dense_weight_sets_the_length_of_dense_blocks() -> None:
    training = [message([1, 0, 3], [0.6, 0.8]), message([1, 1, 0], [1.0, 0.0])]
    blocks = SentenceFeatureBlocks.fit(training, dense_weight=2.0)
    rows = SentenceFeatureBlocks.from_arrays(blocks.to_arrays()).transform(training).toarray()
    np.testing.assert_allclose(np.linalg.norm(rows[:, :2], axis=1), [2.0, 2.0], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(rows[:, 2:], axis=1), [1.0, 1.0], atol=1e-6)


def _dense_row(blocks: SentenceFeatureBlocks, built: Message) -> np.ndarray:
    row = blocks.row_of(built)
    dense = np.zeros(blocks.width, dtype=np.float32)
    np.add.at(dense, row.columns, row.values)
    return dense


def test_one_message_row_is_the_row_transform_makes() -> None:
    training = [message([2, 0, 1, 4], [0.6, 0.8]), message([0, 1, 1, 0], [0.0, 1.0]), message([3, 0, 0, 1], None)]
    blocks = SentenceFeatureBlocks.fit(training, dense_weight=2.0)
    unseen = [message([0, 0, 0, 0], [0.0, 0.0]), message([5, 1, 0, 0], [0.3, -0.4]), message([0, 2, 0, 7], None)]
    for built, expected in zip(training + unseen, blocks.transform(training + unseen).toarray(), strict=True):
        np.testing.assert_allclose(_dense_row(blocks, built), expected, rtol=1e-6, atol=1e-7)
