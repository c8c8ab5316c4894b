"""Word-piece vectors are mapped onto Rasa tokens by character spans."""

from __future__ import annotations

import numpy as np

from bot.rasa_server.nlu.token_alignment import vectors_per_token


def test_token_made_of_two_pieces_gets_their_mean() -> None:
    pieces = np.array([[9.0, 9.0], [1.0, 3.0], [3.0, 5.0], [7.0, 1.0], [9.0, 9.0]], dtype=np.float32)
    # [CLS] "refund" = "ref" + "##und", "now", [SEP]
    piece_spans = [(0, 0), (0, 3), (3, 6), (7, 10), (0, 0)]
    result = vectors_per_token(pieces, piece_spans, [(0, 6), (7, 10)])
    np.testing.assert_allclose(result, [[2.0, 4.0], [7.0, 1.0]])


def test_special_pieces_never_count_and_uncovered_tokens_are_zero() -> None:
    pieces = np.array([[5.0], [1.0], [5.0]], dtype=np.float32)
    piece_spans = [(0, 0), (0, 2), (0, 0)]
    result = vectors_per_token(pieces, piece_spans, [(0, 2), (3, 8)])
    np.testing.assert_allclose(result, [[1.0], [0.0]])
