"""Part `nlu`: understanding on the project's own data (held-out set and k-fold cross-validation)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from benchmarks.context import RunContext
from benchmarks.nlu_data import LabelledExample, load_rasa_examples
from benchmarks.nlu_metrics import Scores, confusion, score, worst_understood
from benchmarks.nlu_model import (
    ParsedText,
    TrainedModel,
    parse_texts,
    pipeline_has_encoder,
    pipeline_variant,
    train_nlu_model,
)
from benchmarks.nlu_rates import language_rates, per_intent, rates, threshold_curve
from benchmarks.results import PartResult
from bot.rasa_server.nlu.language_guess import SUPPORTED_LANGUAGES as LANGUAGES

FOLDS = 5
QUICK_FOLDS = 2
FOLD_SEED = 42
SKIPPED_FOLDS = "not run (`--folds 0`)"


def holdout_path(context: RunContext) -> Path:
    return context.project_root / "tests" / "nlu" / "holdout.yml"


def training_data_path(context: RunContext) -> Path:
    return context.project_root / "data" / "nlu"


def _quick_overrides(context: RunContext) -> Dict[str, int] | None:
    return {"epochs": 2} if context.quick else None


def _fold_data_files(context: RunContext, folds: int) -> List[Tuple[Path, List[LabelledExample]]]:
    """Writes each fold's training part (with the lookups, regexes and synonyms) and keeps its test part."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    full = load_data(str(training_data_path(context)))
    messages = full.intent_examples
    labels = [message.get("intent") for message in messages]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=FOLD_SEED)
    fold_files = []
    for fold_index, (train_rows, test_rows) in enumerate(splitter.split(messages, labels)):
        fold_training = TrainingData(
            training_examples=[messages[row] for row in train_rows],
            entity_synonyms=full.entity_synonyms,
            regex_features=full.regex_features,
            lookup_tables=full.lookup_tables,
        )
        path = context.workdir / "nlu" / f"fold-{fold_index}" / "nlu.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fold_training.nlu_as_yaml())
        test_examples = load_rasa_examples_from_messages([messages[row] for row in test_rows])
        fold_files.append((path, test_examples))
    return fold_files


def load_rasa_examples_from_messages(messages: Sequence) -> List[LabelledExample]:
    from benchmarks.nlu_data import EntitySpan

    return [
        LabelledExample(
            text=message.get("text"),
            intent=message.get("intent"),
            entities=tuple(
                EntitySpan(int(entity["start"]), int(entity["end"]), entity["entity"], str(entity.get("value", "")))
                for entity in message.get("entities") or []
            ),
        )
        for message in messages
    ]


def _holdout_model(context: RunContext, with_encoder: bool) -> TrainedModel:
    """config.yml as it is is the full model other parts serve: it is trained once per run."""
    if with_encoder == pipeline_has_encoder(context.config_path):
        from benchmarks.serving.project_stack import train_project_model

        path, seconds, cpu_seconds = train_project_model(context.workdir / "serving", context.quick)
        return TrainedModel(path=path, training_seconds=seconds, training_cpu_seconds=cpu_seconds)
    config = pipeline_variant(context.config_path, with_encoder, _quick_overrides(context))
    return train_nlu_model(
        config,
        training_data_path(context),
        context.workdir / "nlu",
        "holdout-encoder" if with_encoder else "holdout-sparse",
        context.project_root,
    )


def evaluate_holdout(context: RunContext) -> Dict[str, object]:
    holdout = load_rasa_examples(holdout_path(context))
    if context.quick:
        holdout = holdout[::10]
    results: Dict[str, object] = {"examples": len(holdout), "pipelines": []}
    # The encoder variant first: the model of config.yml as it is may still be training for another part.
    has_encoder = pipeline_has_encoder(context.config_path)
    variants = (
        ("with sentence encoder" + ("" if has_encoder else " (proposed)"), True),
        ("without sentence encoder", False),
    )
    for label, with_encoder in variants:
        model = _holdout_model(context, with_encoder)
        parsed = parse_texts(model.path, [example.text for example in holdout], context.project_root)
        scores = score(holdout, parsed)
        results["pipelines"].append(
            {
                "pipeline": label
                + (" (config.yml as it is)" if with_encoder == pipeline_has_encoder(context.config_path) else ""),
                "with_encoder": with_encoder,
                "training_seconds": round(model.training_seconds, 1),
                "training_cpu_seconds": round(model.training_cpu_seconds, 1),
                **scores.as_dict(),
            }
        )
        if with_encoder == pipeline_has_encoder(context.config_path):
            results["confusion"] = confusion(holdout, parsed)
            results["worst"] = worst_understood(holdout, parsed)
            results["rates"] = rates(holdout, parsed)
            results["per_intent"] = per_intent(holdout, parsed)
            results["threshold_curve"] = threshold_curve(holdout, parsed)
    return results


# The evaluation sets written unlike the training data, one file per language (tests/nlu/README.md): the
# development set (the former second set, seen and tuned on) and the fresh set (the final figures only).
LANGUAGE_SETS = {"development_set": "eval", "fresh_set": "fresh"}


def language_set_paths(context: RunContext, folder: str) -> Dict[str, Path]:
    return {language: context.project_root / "tests" / "nlu" / folder / f"{language}.yml" for language in LANGUAGES}


def evaluate_language_set(context: RunContext, folder: str) -> Dict[str, object]:
    """The served model (config.yml as it is) on one language set, per language and for all four together."""
    model = _holdout_model(context, pipeline_has_encoder(context.config_path))
    per_language: Dict[str, object] = {}
    all_gold: List[LabelledExample] = []
    all_parsed: List[ParsedText] = []
    for language, path in language_set_paths(context, folder).items():
        gold = load_rasa_examples(path)
        parsed = parse_texts(model.path, [example.text for example in gold], context.project_root)
        per_language[language] = {
            **rates(gold, parsed),
            "parse_p50_ms": score(gold, parsed).parse_p50_ms,
            "language": language_rates(parsed, language),
            "per_intent": per_intent(gold, parsed),
            "threshold_curve": threshold_curve(gold, parsed),
            "worst": worst_understood(gold, parsed, count=10),
        }
        all_gold.extend(gold)
        all_parsed.extend(parsed)
    return {
        "languages": per_language,
        "all": rates(all_gold, all_parsed),
        "threshold_curve": threshold_curve(all_gold, all_parsed),
    }


def cross_validate(context: RunContext, folds: int) -> Dict[str, object]:
    """k folds of data/nlu with config.yml as it is."""
    fold_scores: List[Scores] = []
    all_gold: List[LabelledExample] = []
    all_parsed: List[ParsedText] = []
    for fold_index, (training_file, test_examples) in enumerate(_fold_data_files(context, folds)):
        config = pipeline_variant(
            context.config_path, pipeline_has_encoder(context.config_path), _quick_overrides(context)
        )
        model = train_nlu_model(config, training_file, training_file.parent, f"fold-{fold_index}", context.project_root)
        parsed = parse_texts(model.path, [example.text for example in test_examples], context.project_root)
        fold_scores.append(score(test_examples, parsed))
        all_gold.extend(test_examples)
        all_parsed.extend(parsed)
    pooled = score(all_gold, all_parsed)
    return {
        "folds": folds,
        "examples": len(all_gold),
        "pooled": pooled.as_dict(),
        "per_fold": [fold.as_dict() for fold in fold_scores],
    }


def run(context: RunContext) -> PartResult:
    folds = QUICK_FOLDS if context.quick else context.folds
    return {
        "config_has_encoder": pipeline_has_encoder(context.config_path),
        "holdout": evaluate_holdout(context),
        "cross_validation": cross_validate(context, folds) if folds >= 2 else {"skipped": SKIPPED_FOLDS},
        **{name: evaluate_language_set(context, folder) for name, folder in LANGUAGE_SETS.items()},
    }
