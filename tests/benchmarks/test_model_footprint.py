"""The cost part names what the configured pipeline needs on disk beside the model archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.model_footprint import COMPONENT_PACKAGES, folder_mib, runtime_files
from bot.shared.settings import PROJECT_ROOT


def test_a_folder_counts_every_file_below_it(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "weights.bin").write_bytes(b"\0" * 1024 * 1024)
    (tmp_path / "vocab.txt").write_bytes(b"\0" * 512 * 1024)
    assert folder_mib(tmp_path) == 1.5
    assert folder_mib(tmp_path / "vocab.txt") == 0.5


def test_the_spacy_folder_and_each_encoder_package_of_the_pipeline_are_listed(tmp_path: Path) -> None:
    (tmp_path / "spacy").mkdir()
    (tmp_path / "spacy" / "meta.json").write_bytes(b"\0" * 1024 * 1024)
    encoder = "bot.rasa_server.nlu.multilingual_encoder.MultilingualSentenceFeaturizer"
    config = tmp_path / "config.yml"
    config.write_text(
        f"pipeline:\n  - name: SpacyNLP\n    model: spacy\n  - name: {encoder}\n  - name: DIETClassifier\n"
    )
    rows = runtime_files(config, tmp_path)
    assert rows[0] == {"what": "spaCy pipeline spacy", "mib": 1.0}
    assert [row["what"] for row in rows[1:]] == [
        f"package {package} (MultilingualSentenceFeaturizer)" for package in COMPONENT_PACKAGES[encoder]
    ]
    assert all(row["mib"] > 0 for row in rows[1:])


def test_a_package_the_pipeline_needs_but_is_not_installed_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: SpacyNLP\n    model: no_such_spacy_package_xyz\n")
    with pytest.raises(ModuleNotFoundError):
        runtime_files(config, tmp_path)


def test_the_project_pipeline_needs_files_beside_its_archive() -> None:
    rows = runtime_files(PROJECT_ROOT / "config.yml", PROJECT_ROOT)
    assert any(row["what"].startswith("package ") for row in rows)
