"""Trains the project's NLU pipeline on a data set and parses texts with the trained model."""

from __future__ import annotations

import asyncio
import copy
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

FALLBACK_INTENT = "nlu_fallback"
# Not a span of the text but the message's language (bot.rasa_server.nlu.language_detector).
LANGUAGE_ENTITY = "language"
# The sentence encoder config.yml uses, and the English-only one before it; a variant adds the configured one.
ENCODER_COMPONENT = "bot.rasa_server.nlu.multilingual_encoder.MultilingualSentenceFeaturizer"
ENCODER_COMPONENTS = (ENCODER_COMPONENT, "bot.rasa_server.nlu.sentence_encoder.SentenceEncoderFeaturizer")
LINEAR_CLASSIFIER_COMPONENT = "bot.rasa_server.nlu.linear_intent_classifier.LinearIntentClassifier"
INTENT_CLASSIFIERS = ("DIETClassifier", LINEAR_CLASSIFIER_COMPONENT)
# With a sentence encoder in front, DIET needs no transformer of its own over the tokens and
# converges in fewer epochs; this is the classifier setting proposed together with the encoder.
PROPOSED_CLASSIFIER_OVERRIDES: Dict[str, Any] = {"number_of_transformer_layers": 0, "epochs": 40}
# Components that only serve the shop's own entities; a foreign data set has none of them.
SHOP_ONLY_COMPONENTS = {
    "SpacyEntityExtractor",
    "RegexEntityExtractor",
    "EntitySynonymMapper",
    "bot.rasa_server.nlu.language_detector.LanguageDetector",
}


@dataclass(frozen=True)
class ParsedText:
    text: str
    intent: str
    confidence: float
    entities: tuple
    seconds: float
    # The classifier's own top intent, before the FallbackClassifier may replace it by nlu_fallback.
    classifier_intent: str = ""
    classifier_confidence: float = 0.0
    # The language the detector gave the message ("" when it left the conversation's language).
    language: str = ""


@dataclass(frozen=True)
class TrainedModel:
    path: Path
    training_seconds: float
    # CPU time of all threads: on a shared machine it says more about cost than wall time.
    training_cpu_seconds: float


def _process_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pipeline_variant(
    config_path: Path,
    with_encoder: bool,
    classifier_overrides: Optional[Dict[str, Any]] = None,
    drop_shop_components: bool = False,
) -> Dict[str, Any]:
    """The project's config.yml, with the sentence encoder added (before the classifier) or removed."""
    config = yaml.safe_load(config_path.read_text())
    encoder = next(
        (dict(component) for component in config["pipeline"] if component["name"] in ENCODER_COMPONENTS),
        {"name": ENCODER_COMPONENT},
    )
    pipeline: List[Dict[str, Any]] = [
        dict(component)
        for component in config["pipeline"]
        if component["name"] not in ENCODER_COMPONENTS
        and not (drop_shop_components and component["name"] in SHOP_ONLY_COMPONENTS)
    ]
    classifier_index = next(
        index for index, component in enumerate(pipeline) if component["name"] in INTENT_CLASSIFIERS
    )
    is_diet = pipeline[classifier_index]["name"] == "DIETClassifier"
    if with_encoder:
        pipeline.insert(classifier_index, encoder)
        classifier_index += 1
        if is_diet:
            pipeline[classifier_index].update(PROPOSED_CLASSIFIER_OVERRIDES)
    # The overrides are DIET's (epochs): the linear classifier has no training schedule to shorten.
    if classifier_overrides and is_diet:
        pipeline[classifier_index].update(classifier_overrides)
    variant = copy.deepcopy(config)
    variant["pipeline"] = pipeline
    variant.pop("policies", None)
    return variant


def project_pipeline(config_path: Path, classifier_overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """config.yml's NLU pipeline exactly as the project trains it (only DIET's overrides, for quick runs)."""
    config = yaml.safe_load(config_path.read_text())
    config.pop("policies", None)
    if classifier_overrides:
        for component in config["pipeline"]:
            if component["name"] == "DIETClassifier":
                component.update(classifier_overrides)
    return config


def pipeline_has_encoder(config_path: Path) -> bool:
    config = yaml.safe_load(config_path.read_text())
    return any(component["name"] in ENCODER_COMPONENTS for component in config["pipeline"])


def train_nlu_model(
    config: Dict[str, Any], nlu_data: Path, output_dir: Path, name: str, project_root: Path
) -> TrainedModel:
    """Trains with Rasa's own API from the project root, where config paths are relative to."""
    from rasa.model_training import train_nlu

    output_dir.mkdir(parents=True, exist_ok=True)
    config_file = output_dir / f"{name}-config.yml"
    config_text = yaml.safe_dump(config, sort_keys=False)
    timing_file = output_dir / f"{name}.seconds"
    existing_model = output_dir / f"{name}.tar.gz"
    # A rerun in the same work folder re-evaluates the model it already trained on the same config.
    if (
        existing_model.exists()
        and timing_file.exists()
        and config_file.exists()
        and config_file.read_text() == config_text
    ):
        wall, cpu = (float(value) for value in timing_file.read_text().split())
        return TrainedModel(path=existing_model, training_seconds=wall, training_cpu_seconds=cpu)
    config_file.write_text(config_text)
    previous_directory = Path.cwd()
    previous_cache = os.environ.get("RASA_CACHE_DIRECTORY")
    # A cache of its own: a warm Rasa training cache would make the training time meaningless.
    os.environ["RASA_CACHE_DIRECTORY"] = str(output_dir / f"{name}-cache")
    os.chdir(project_root)
    try:
        started = time.perf_counter()
        cpu_started = _process_cpu_seconds()
        model_path = train_nlu(
            config=str(config_file),
            nlu_data=str(nlu_data),
            output=str(output_dir),
            fixed_model_name=name,
        )
        elapsed = time.perf_counter() - started
        cpu_seconds = _process_cpu_seconds() - cpu_started
    finally:
        os.chdir(previous_directory)
        if previous_cache is None:
            os.environ.pop("RASA_CACHE_DIRECTORY", None)
        else:
            os.environ["RASA_CACHE_DIRECTORY"] = previous_cache
    if not model_path:
        raise RuntimeError(f"Rasa did not train a model from {nlu_data}")
    timing_file.write_text(f"{elapsed:.1f} {cpu_seconds:.1f}")
    return TrainedModel(path=Path(model_path), training_seconds=elapsed, training_cpu_seconds=cpu_seconds)


def parse_texts(model_path: Path, texts: Sequence[str], project_root: Path) -> List[ParsedText]:
    """Parses one text at a time, as the server does, timing each parse."""
    return asyncio.run(_parse_all(model_path, texts, project_root))


async def _parse_all(model_path: Path, texts: Sequence[str], project_root: Path) -> List[ParsedText]:
    from rasa.core.agent import Agent

    previous_directory = Path.cwd()
    os.chdir(project_root)
    try:
        agent = Agent.load(str(model_path))
        # The first parse builds lazy state (TensorFlow graphs); it is not a customer's parse.
        await agent.parse_message("hello")
        parsed: List[ParsedText] = []
        for text in texts:
            started = time.perf_counter()
            result = await agent.parse_message(text)
            elapsed = time.perf_counter() - started
            intent = result.get("intent") or {}
            ranking = [entry for entry in result.get("intent_ranking") or [] if entry.get("name") != FALLBACK_INTENT]
            entities = result.get("entities") or []
            languages = [str(entity["value"]) for entity in entities if entity["entity"] == LANGUAGE_ENTITY]
            parsed.append(
                ParsedText(
                    text=text,
                    intent=str(intent.get("name")),
                    confidence=float(intent.get("confidence") or 0.0),
                    entities=tuple(
                        (int(entity["start"]), int(entity["end"]), entity["entity"])
                        for entity in entities
                        if entity["entity"] != LANGUAGE_ENTITY
                    ),
                    seconds=elapsed,
                    classifier_intent=str(ranking[0].get("name") if ranking else intent.get("name")),
                    classifier_confidence=float(
                        (ranking[0].get("confidence") if ranking else intent.get("confidence")) or 0.0
                    ),
                    language=languages[0] if languages else "",
                )
            )
        return parsed
    finally:
        os.chdir(previous_directory)
