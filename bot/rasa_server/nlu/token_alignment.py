"""Maps word-piece vectors onto the tokens of Rasa's tokenizer by their character spans."""

from __future__ import annotations

from typing import Sequence, Tuple

import numpy as np

from bot.rasa_server.nlu.arrays import Float32Array

Span = Tuple[int, int]


def vectors_per_token(
    piece_vectors: Float32Array, piece_spans: Sequence[Span], token_spans: Sequence[Span]
) -> Float32Array:
    """Averages, for every token, the vectors of the word pieces that overlap its characters.

    Special pieces (empty spans) never count. A token that no piece covers, e.g. one past the
    encoder's length limit, gets a zero vector, which Rasa treats as "no information".
    """
    dimension = piece_vectors.shape[1]
    result = np.zeros((len(token_spans), dimension), dtype=np.float32)
    for token_index, (token_start, token_end) in enumerate(token_spans):
        covering = [
            piece_index
            for piece_index, (piece_start, piece_end) in enumerate(piece_spans)
            if piece_end > piece_start and piece_start < token_end and piece_end > token_start
        ]
        if covering:
            result[token_index] = piece_vectors[covering].mean(axis=0)
    return result
