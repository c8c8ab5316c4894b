"""PNG pictures for the benchmark page, drawn with matplotlib's file-only backend."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    return pyplot


def confusion_matrix_png(labels: Sequence[str], matrix: Sequence[Sequence[int]], path: Path, title: str) -> Path:
    import numpy as np

    pyplot = _pyplot()
    values = np.array(matrix, dtype=float)
    # Rows are normalised so that small intents are as visible as large ones.
    row_totals = values.sum(axis=1, keepdims=True)
    normalised = np.divide(values, row_totals, out=np.zeros_like(values), where=row_totals > 0)
    size = max(6.0, 0.32 * len(labels) + 2)
    figure, axes = pyplot.subplots(figsize=(size, size))
    image = axes.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(labels)))
    axes.set_yticks(range(len(labels)))
    axes.set_xticklabels(labels, rotation=90, fontsize=7)
    axes.set_yticklabels(labels, fontsize=7)
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    axes.set_title(title)
    for row in range(len(labels)):
        for column in range(len(labels)):
            if values[row, column] and row != column:
                axes.text(column, row, int(values[row, column]), ha="center", va="center", fontsize=6, color="red")
    figure.colorbar(image, ax=axes, fraction=0.03)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path


def serving_png(series: Dict[str, List[dict]], path: Path) -> Path:
    """Throughput and p95 latency against concurrent conversations, one line per stack."""
    pyplot = _pyplot()
    figure, (throughput_axes, latency_axes) = pyplot.subplots(1, 2, figsize=(11, 4.2))
    for label, levels in series.items():
        concurrency = [level["concurrency"] for level in levels]
        throughput_axes.plot(concurrency, [level["messages_per_second"] for level in levels], marker="o", label=label)
        latency_axes.plot(concurrency, [level["p95_ms"] for level in levels], marker="o", label=label)
    throughput_axes.set_title("throughput")
    throughput_axes.set_xlabel("concurrent conversations")
    throughput_axes.set_ylabel("messages / s")
    latency_axes.set_title("p95 reply latency")
    latency_axes.set_xlabel("concurrent conversations")
    latency_axes.set_ylabel("ms")
    latency_axes.axhline(400, color="grey", linestyle="--", linewidth=1, label="scaled target at 20: 400 ms")
    for axes in (throughput_axes, latency_axes):
        axes.set_xscale("log")
        axes.grid(True, alpha=0.3)
    latency_axes.legend(fontsize=7)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path


def threshold_curve_png(curves: Dict[str, List[dict]], threshold: float, path: Path) -> Path:
    """Right, confidently wrong and fallback shares against the fallback threshold, one panel per set."""
    pyplot = _pyplot()
    figure, panels = pyplot.subplots(1, len(curves), figsize=(5.2 * len(curves), 4.0), squeeze=False)
    for axes, (label, curve) in zip(panels[0], curves.items(), strict=True):
        thresholds = [point["threshold"] for point in curve]
        for key, colour in (("right", "tab:green"), ("wrong", "tab:red"), ("fallback", "tab:grey")):
            axes.plot(thresholds, [100 * point[key] for point in curve], marker=".", color=colour, label=key)
        axes.axvline(threshold, color="black", linestyle="--", linewidth=1, label=f"config.yml: {threshold}")
        axes.set_title(label)
        axes.set_xlabel("fallback threshold")
        axes.set_ylabel("% of messages")
        axes.set_ylim(0, 100)
        axes.grid(True, alpha=0.3)
        axes.legend(fontsize=7)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path
