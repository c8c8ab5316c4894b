"""The array types the NLU modules pass between them, so that a signature says which dtype it holds."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

# Encoder weights, word-piece and sentence vectors, SVM weights: float32 throughout.
Float32Array = npt.NDArray[np.float32]
# Scores and probabilities, computed in float64 so a softmax at a small temperature stays finite.
Float64Array = npt.NDArray[np.float64]
# Scores of either precision: what a softmax or a temperature fit accepts.
FloatArray = npt.NDArray[np.floating[Any]]
# Word-piece ids and attention masks, as the encoders take them.
Int64Array = npt.NDArray[np.int64]
# The intent names of a model, and each training example's row among them.
Names = npt.NDArray[np.str_]
LabelRows = npt.NDArray[np.intp]
