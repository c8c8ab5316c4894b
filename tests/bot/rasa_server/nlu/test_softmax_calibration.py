"""The fitted temperature makes confidences match how often the top intent is right."""

from __future__ import annotations

import numpy as np
import pytest

from bot.rasa_server.nlu.softmax_calibration import fit_temperature, softmax


def test_softmax_rows_are_distributions_even_for_large_scores() -> None:
    probabilities = softmax(np.array([[1000.0, 999.0, -5.0], [0.0, 0.0, 0.0]]), temperature=1.0)
    np.testing.assert_allclose(probabilities.sum(axis=1), [1.0, 1.0])
    assert probabilities[1] == pytest.approx([1 / 3] * 3)
    assert probabilities[0, 0] > probabilities[0, 1] > probabilities[0, 2]


def test_the_temperature_that_generated_the_labels_is_recovered() -> None:
    generator = np.random.default_rng(3)
    scores = generator.normal(size=(4000, 5))
    true_temperature = 0.4
    labels = np.array([generator.choice(5, p=row) for row in softmax(scores, true_temperature)])
    assert fit_temperature(scores, labels) == pytest.approx(true_temperature, rel=0.15)


def test_no_examples_leave_the_scores_as_they_are() -> None:
    assert fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=int)) == 1.0
