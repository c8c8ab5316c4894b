"""`python -m bot spacy-model`: build and save the spaCy pipeline that Rasa's SpacyNLP loads."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bot.rasa_server.nlu.entity_patterns import all_patterns
from bot.shared.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_OUTPUT = PROJECT_ROOT / "models" / "spacy" / "shop_en"
PIPELINE_NAME = "shop_en"

# Keep e-mail addresses whole whatever their case or trailing punctuation ("Jane@Example.COM.").
EMAIL_TOKEN = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def build_pipeline() -> Language:
    # spaCy is imported here, not when the module is imported.
    import spacy
    from spacy.pipeline import EntityRuler
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank("en")
    cast(Tokenizer, nlp.tokenizer).token_match = EMAIL_TOKEN.match
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"}))
    ruler.add_patterns(all_patterns())
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English tokenizer with an entity ruler for the shop's products and identifiers"
    return nlp


def save_pipeline(output: Path = DEFAULT_OUTPUT) -> Path:
    nlp = build_pipeline()
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)


def main(args: argparse.Namespace) -> int:
    path = save_pipeline(args.output)
    print(f"spaCy pipeline saved to {path}")
    return 0
