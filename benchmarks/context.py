"""Where a benchmark run reads and writes, and how thorough it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.shared.settings import PROJECT_ROOT

BANKING77_DIR = Path("/work/shared/benchmarks/banking77")


@dataclass(frozen=True)
class RunContext:
    """Options shared by every part of the harness."""

    quick: bool
    results_dir: Path
    docs_dir: Path
    workdir: Path
    project_root: Path = PROJECT_ROOT
    banking77_dir: Path = BANKING77_DIR
    folds: int = 5

    @property
    def image_dir(self) -> Path:
        return self.docs_dir / "img"

    @property
    def config_path(self) -> Path:
        return self.project_root / "config.yml"
