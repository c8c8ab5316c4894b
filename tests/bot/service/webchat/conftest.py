"""A real bot service process per test module, started with the environment a test asks for."""

from __future__ import annotations

import subprocess
from typing import Callable, Dict, Iterator, List

import pytest

from tests.bot.service.webchat.service_process import start_service_process, stop_service_process


@pytest.fixture(scope="module")
def start_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Dict[str, str]], str]]:
    """Starts `python -m bot serve` with extra environment; returns its base URL."""
    processes: List[subprocess.Popen] = []

    def start(extra_env: Dict[str, str]) -> str:
        process, base_url = start_service_process(tmp_path_factory.mktemp("service"), extra_env)
        processes.append(process)
        return base_url

    yield start
    for process in processes:
        stop_service_process(process)
