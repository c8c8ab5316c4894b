"""The benchmark page's view of right, confidently wrong and fallback rates on both NLU evaluation sets."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import yaml

from bot.shared.settings import PROJECT_ROOT

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German"}
# Result keys of the nlu part and their names on the page (tests/nlu/README.md).
LANGUAGE_SET_LABELS = {"development_set": "development set", "fresh_set": "fresh set"}


def _percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def configured_threshold() -> float:
    """The FallbackClassifier threshold of config.yml, drawn on the curve."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


def nlu_threshold_curves(nlu: Dict[str, object]) -> Dict[str, List[dict]]:
    curves: Dict[str, List[dict]] = {}
    holdout = nlu.get("holdout") or {}
    if isinstance(holdout, dict) and holdout.get("threshold_curve"):
        curves["held-out set (English)"] = holdout["threshold_curve"]
    fresh = nlu.get("fresh_set") or {}
    if isinstance(fresh, dict):
        for language, measured in (fresh.get("languages") or {}).items():
            curves[f"fresh set, {LANGUAGE_NAMES.get(language, language)}"] = measured["threshold_curve"]
    return curves


def _language_set_rows(nlu: Dict[str, object]) -> Dict[str, Dict[str, dict]]:
    """Per set name shown on the page ("fresh set (es)"), the measured rates of that language."""
    rows: Dict[str, Dict[str, dict]] = {}
    for key, label in LANGUAGE_SET_LABELS.items():
        measured = nlu.get(key) or {}
        if isinstance(measured, dict):
            for code, language_rates in (measured.get("languages") or {}).items():
                rows[f"{label} ({code})"] = language_rates
    return rows


def _cell(row: Optional[dict]) -> str:
    if not row:
        return "–"
    return f"{_percent(row['right'])} / {_percent(row['wrong'])} / {_percent(row['fallback'])}"


def rates_section(nlu: Dict[str, object], pictures: Dict[str, str]) -> str:
    holdout = nlu.get("holdout") or {}
    languages = _language_set_rows(nlu)
    if not isinstance(holdout, dict) or "rates" not in holdout or not languages:
        return "Right / wrong / fallback rates: needs a run of the `nlu` part with the language evaluation sets.\n"
    sets = {"held-out (en)": holdout["rates"], **languages}
    parts = [
        "**Right, confidently wrong and fallback** on every set. *Wrong* is an answer to another question "
        "(worse than a fallback, which asks to rephrase); *off-topic declined* counts `out_of_scope`, "
        "`nlu_fallback` and `unsupported_language` answers to the off-topic examples. The development set "
        "(`tests/nlu/eval/`) and the fresh set (`tests/nlu/fresh/`) are written unlike the training data, one file "
        "per language; the development set has been seen and tuned on, the fresh set gives the final figures "
        "(protocol in `tests/nlu/README.md`). *Language named* is how often the detector gave the file's language "
        "(otherwise it named none and the conversation's language, or the widget's, would have held).\n",
        _table(
            ("set", "examples", "right", "wrong", "fallback", "off-topic declined", "language named", "parse p50 ms"),
            [
                [
                    name,
                    rates["examples"],
                    _percent(rates["right"]),
                    _percent(rates["wrong"]),
                    _percent(rates["fallback"]),
                    _percent(rates["out_of_scope_rejected"]) if rates.get("out_of_scope_examples") else "–",
                    _percent((rates.get("language") or {}).get("detected")) if "language" in rates else "–",
                    f"{rates['parse_p50_ms']:.1f}" if "parse_p50_ms" in rates else "–",
                ]
                for name, rates in sets.items()
            ],
        ),
    ]
    if "nlu_threshold" in pictures:
        parts.append(
            "Against the fallback threshold (the ambiguity rule left out; the dashed line is config.yml's):\n\n"
            f"![threshold trade-off]({pictures['nlu_threshold']})\n"
        )
    by_intent: Dict[str, Dict[str, dict]] = {}
    for name, rows in [("held-out (en)", holdout.get("per_intent") or [])] + [
        (name, measured["per_intent"]) for name, measured in languages.items()
    ]:
        for row in rows:
            by_intent.setdefault(row["intent"], {})[name] = row
    parts.append("Per intent, right / wrong / fallback:\n")
    parts.append(
        _table(
            ("intent", *sets),
            [[intent, *(_cell(cells.get(name)) for name in sets)] for intent, cells in sorted(by_intent.items())],
        )
    )
    return "\n".join(parts)
