"""MiniLM sentence encoding: word-piece tokenisation, length-sorted batches, mean pooling."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

import numpy as np

Offsets = List[Tuple[int, int]]
# (piece ids, attention mask), both [batch, length] -> hidden states [batch, length, size]
Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class EncodedText:
    """One text after the encoder: a vector per word piece (with its character span) and the sentence."""

    piece_vectors: np.ndarray
    piece_offsets: Offsets
    sentence_vector: np.ndarray


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
            for row, (index, encoding) in enumerate(zip(batch_indices, batch)):
                pieces = np.asarray(hidden[row, : len(encoding.ids)], dtype=np.float32)
                results[index] = EncodedText(
                    piece_vectors=pieces,
                    piece_offsets=[tuple(offset) for offset in encoding.offsets],
                    sentence_vector=self._pool(pieces),
                )
        return results

    @staticmethod
    def _padded(batch_ids: List[List[int]]) -> Tuple[np.ndarray, np.ndarray]:
        longest = max(len(ids) for ids in batch_ids)
        ids = np.zeros((len(batch_ids), longest), dtype=np.int64)
        mask = np.zeros((len(batch_ids), longest), dtype=np.int64)
        for row, piece_ids in enumerate(batch_ids):
            ids[row, : len(piece_ids)] = piece_ids
            mask[row, : len(piece_ids)] = 1
        return ids, mask

    @staticmethod
    def _pool(pieces: np.ndarray) -> np.ndarray:
        mean = pieces.mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-12)
