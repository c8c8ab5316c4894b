"""Turns linear classifier scores into probabilities: a softmax with one fitted temperature."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from bot.rasa_server.nlu.arrays import Float64Array, FloatArray, LabelRows

# Bounds of the searched log-temperature: margins of a linear SVM are of order one.
LOG_TEMPERATURE_BOUNDS = (-6.0, 3.0)


def softmax(scores: FloatArray, temperature: float) -> Float64Array:
    scaled = np.asarray(scores, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exponentials = np.exp(scaled)
    probabilities: Float64Array = exponentials / exponentials.sum(axis=1, keepdims=True)
    return probabilities


def _negative_log_likelihood(scores: FloatArray, label_rows: LabelRows, temperature: float) -> float:
    probabilities = softmax(scores, temperature)
    picked = probabilities[np.arange(len(label_rows)), label_rows]
    return float(-np.log(np.maximum(picked, 1e-12)).mean())


def fit_temperature(scores: FloatArray, label_rows: LabelRows) -> float:
    """The temperature under which held-out scores best predict their labels.

    The scores must come from models that did not see the examples (cross-validation):
    on its own training data a linear model is over-sure, and so would the confidences be.
    """
    if len(label_rows) == 0:
        return 1.0
    result = minimize_scalar(
        lambda log_temperature: _negative_log_likelihood(scores, label_rows, float(np.exp(log_temperature))),
        bounds=LOG_TEMPERATURE_BOUNDS,
        method="bounded",
    )
    return float(np.exp(result.x))
