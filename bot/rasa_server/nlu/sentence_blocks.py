"""Turns a message's sentence-level features, one block per featurizer, into one weighted row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.arrays import Float32Array

# What a featurizer stores: a dense array, or a sparse matrix of counts.
FeatureMatrix = Union[npt.NDArray[Any], scipy.sparse.spmatrix]


@dataclass(frozen=True)
class FeatureBlock:
    """One featurizer's sentence features: where they come from, how wide, how they are weighted."""

    origin: str
    width: int
    is_sparse: bool
    # Inverse document frequencies of a sparse block; empty for a dense block.
    idf: Float32Array
    # Length of the block in a row after normalising: how much it counts beside the others.
    weight: float = 1.0


def _sentence_features(message: Message) -> Dict[str, Tuple[bool, FeatureMatrix]]:
    """Sentence features of the text by featurizer; a featurizer that ran twice keeps the later."""
    by_origin: Dict[str, Tuple[bool, FeatureMatrix]] = {}
    for features in message.features:
        if features.attribute != TEXT or features.type != FEATURE_TYPE_SENTENCE:
            continue
        origin = features.origin if isinstance(features.origin, str) else "+".join(features.origin)
        by_origin[origin] = (features.is_sparse(), features.features)
    return by_origin


def _idf(counts: scipy.sparse.csr_matrix) -> Float32Array:
    """Smoothed inverse document frequency, as scikit-learn's TfidfTransformer computes it."""
    documents = counts.shape[0]
    document_frequency = (
        np.bincount(counts.indices, minlength=counts.shape[1]) if counts.nnz else np.zeros(counts.shape[1])
    )
    idf: Float32Array = (np.log((1.0 + documents) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
    return idf


def _normalise_rows(matrix: scipy.sparse.csr_matrix) -> scipy.sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    return scipy.sparse.diags(1.0 / norms).dot(matrix).tocsr()


def _tf_idf(counts: scipy.sparse.csr_matrix, idf: Float32Array) -> scipy.sparse.csr_matrix:
    # Sublinear term frequency: a character n-gram seen five times is not five times as telling.
    weighted = counts.astype(np.float32).tocsr(copy=True)
    weighted.data = (1.0 + np.log(np.maximum(weighted.data, 1e-12))) * idf[weighted.indices]
    return weighted


@dataclass(frozen=True)
class SparseRow:
    """One message's row as `transform` makes it, kept as its non-zero columns and their values."""

    columns: npt.NDArray[np.int64]
    values: Float32Array


def _block_entries(matrix: FeatureMatrix, block: FeatureBlock) -> Tuple[npt.NDArray[np.int64], Float32Array]:
    """The block's columns and weighted values for one message, scaled to the block's length."""
    if block.is_sparse:
        counts = scipy.sparse.csr_matrix(matrix, dtype=np.float32)
        columns = counts.indices.astype(np.int64)
        values = ((1.0 + np.log(np.maximum(counts.data, 1e-12))) * block.idf[columns]).astype(np.float32)
    else:
        values = np.asarray(matrix, dtype=np.float32).reshape(-1)
        columns = np.arange(values.shape[0], dtype=np.int64)
    norm = float(np.sqrt(np.dot(values, values)))
    scaled: Float32Array = (values * np.float32(block.weight / (norm if norm > 0.0 else 1.0))).astype(np.float32)
    return columns, scaled


class SentenceFeatureBlocks:
    """Stacks the featurizers' sentence vectors side by side, each scaled to unit length.

    Sparse count blocks are tf-idf weighted first, so that a word seen in every example weighs
    little. Normalising each block on its own keeps thousands of character n-grams from
    drowning a 384-dimensional sentence-encoder vector.
    """

    def __init__(self, blocks: Sequence[FeatureBlock]) -> None:
        self.blocks = tuple(blocks)

    @property
    def width(self) -> int:
        return sum(block.width for block in self.blocks)

    @classmethod
    def fit(cls, messages: Sequence[Message], dense_weight: float = 1.0) -> SentenceFeatureBlocks:
        per_message = [_sentence_features(message) for message in messages]
        origins = sorted({origin for features in per_message for origin in features})
        blocks: List[FeatureBlock] = []
        for origin in origins:
            first = next(features[origin] for features in per_message if origin in features)
            is_sparse, matrix = first
            width = int(matrix.shape[-1])
            idf = np.zeros(0, dtype=np.float32)
            if is_sparse:
                idf = _idf(_block_matrix(per_message, origin, width, is_sparse=True))
            weight = 1.0 if is_sparse else dense_weight
            blocks.append(FeatureBlock(origin=origin, width=width, is_sparse=is_sparse, idf=idf, weight=weight))
        return cls(blocks)

    def transform(self, messages: Sequence[Message]) -> scipy.sparse.csr_matrix:
        """One row per message; a block the message lacks (an empty text) stays zero."""
        per_message = [_sentence_features(message) for message in messages]
        columns = []
        for block in self.blocks:
            matrix = _block_matrix(per_message, block.origin, block.width, block.is_sparse)
            if block.is_sparse:
                matrix = _tf_idf(matrix, block.idf)
            columns.append(_normalise_rows(matrix) * block.weight)
        if not columns:
            return scipy.sparse.csr_matrix((len(messages), 0), dtype=np.float32)
        return scipy.sparse.hstack(columns, format="csr", dtype=np.float32)

    def row_of(self, message: Message) -> SparseRow:
        """`transform` of one message, without building a sparse matrix per step (the serving path).

        For one message the matrices' own overhead (a dozen constructions and conversions per block) cost
        more than the arithmetic; the values are the same.
        """
        features = _sentence_features(message)
        all_columns: List[npt.NDArray[np.int64]] = []
        all_values: List[Float32Array] = []
        offset = 0
        for block in self.blocks:
            entry = features.get(block.origin)
            if entry is not None and entry[1].shape[-1] == block.width:
                columns, values = _block_entries(entry[1], block)
                all_columns.append(columns + offset)
                all_values.append(values)
            offset += block.width
        if not all_columns:
            return SparseRow(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        return SparseRow(np.concatenate(all_columns), np.concatenate(all_values))

    def to_arrays(self) -> Dict[str, npt.NDArray[Any]]:
        arrays: Dict[str, npt.NDArray[Any]] = {
            "block_origins": np.array([block.origin for block in self.blocks], dtype=str),
            "block_widths": np.array([block.width for block in self.blocks], dtype=np.int64),
            "block_is_sparse": np.array([block.is_sparse for block in self.blocks], dtype=bool),
            "block_weights": np.array([block.weight for block in self.blocks], dtype=np.float64),
        }
        for index, block in enumerate(self.blocks):
            arrays[f"block_idf_{index}"] = block.idf
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> SentenceFeatureBlocks:
        return cls(
            [
                FeatureBlock(
                    origin=str(origin),
                    width=int(width),
                    is_sparse=bool(is_sparse),
                    idf=np.asarray(arrays[f"block_idf_{index}"], dtype=np.float32),
                    weight=float(weight),
                )
                for index, (origin, width, is_sparse, weight) in enumerate(
                    zip(
                        arrays["block_origins"],
                        arrays["block_widths"],
                        arrays["block_is_sparse"],
                        arrays["block_weights"],
                        strict=True,
                    )
                )
            ]
        )


def _block_matrix(
    per_message: Sequence[Dict[str, Tuple[bool, FeatureMatrix]]], origin: str, width: int, is_sparse: bool
) -> scipy.sparse.csr_matrix:
    rows = []
    for features in per_message:
        entry = features.get(origin)
        if entry is None or entry[1].shape[-1] != width:
            rows.append(scipy.sparse.csr_matrix((1, width), dtype=np.float32))
        elif is_sparse:
            rows.append(scipy.sparse.csr_matrix(entry[1], dtype=np.float32))
        else:
            rows.append(scipy.sparse.csr_matrix(np.asarray(entry[1], dtype=np.float32).reshape(1, -1)))
    if not rows:
        return scipy.sparse.csr_matrix((0, width), dtype=np.float32)
    return scipy.sparse.vstack(rows, format="csr")
