"""MiniLM sentence encoding: word-piece tokenisation, length-sorted batches, mean pooling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

import numpy as np

from bot.rasa_server.nlu.arrays import Float32Array, Int64Array

Offsets = List[Tuple[int, int]]
# (piece ids, attention mask), both [batch, length] -> hidden states [batch, length, size]
Forward = Callable[[Int64Array, Int64Array], Float32Array]


@dataclass(frozen=True)
class EncodedText:
    """One text after the encoder: a vector per word piece (with its character span) and the sentence."""

    piece_vectors: Float32Array
    piece_offsets: Offsets
    sentence_vector: Float32Array


class MiniLMEncoder:
    """Encodes texts into mean-pooled, L2-normalised sentence vectors and per-piece vectors."""

    def __init__(self, tokenizer_json: str, forward: Forward, hidden_size: int, max_pieces: int = 128) -> None:
        from tokenizers import Tokenizer

        self.hidden_size = hidden_size
        self.max_pieces = max_pieces
        self._forward = forward
        self._tokenizer = Tokenizer.from_str(tokenizer_json)
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_pieces)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> List[EncodedText]:
        """Encodes texts in batches of similar length so that little padding is computed."""
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        results: List[EncodedText] = [None] * len(encodings)  # type: ignore[list-item]
        for start in range(0, len(order), batch_size):
            batch_indices = order[start : start + batch_size]
            batch = [encodings[i] for i in batch_indices]
            hidden = self._forward(*self._padded([encoding.ids for encoding in batch]))
            for row, (index, encoding) in enumerate(zip(batch_indices, batch, strict=True)):
                pieces = np.asarray(hidden[row, : len(encoding.ids)], dtype=np.float32)
                results[index] = EncodedText(
                    piece_vectors=pieces,
                    piece_offsets=[(start, end) for start, end in encoding.offsets],
                    sentence_vector=self._pool(pieces),
                )
        return results

    @staticmethod
    def _padded(batch_ids: List[List[int]]) -> Tuple[Int64Array, Int64Array]:
        longest = max(len(ids) for ids in batch_ids)
        ids = np.zeros((len(batch_ids), longest), dtype=np.int64)
        mask = np.zeros((len(batch_ids), longest), dtype=np.int64)
        for row, piece_ids in enumerate(batch_ids):
            ids[row, : len(piece_ids)] = piece_ids
            mask[row, : len(piece_ids)] = 1
        return ids, mask

    @staticmethod
    def _pool(pieces: Float32Array) -> Float32Array:
        mean: Float32Array = pieces.mean(axis=0)
        normalised: Float32Array = mean / max(float(np.linalg.norm(mean)), 1e-12)
        return normalised
