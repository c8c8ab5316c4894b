"""One measure's timings as the results record them: the sample count, p50, p95 and the slowest, in ms."""

from __future__ import annotations

from typing import Dict, List

import numpy as np


def latency_summary(measure: str, values: List[float]) -> Dict[str, object]:
    array = np.array(values)
    return {
        "measure": measure,
        "samples": len(values),
        "p50_ms": round(float(np.percentile(array, 50)), 1),
        "p95_ms": round(float(np.percentile(array, 95)), 1),
        "max_ms": round(float(array.max()), 1),
    }
