"""`python -m bot agents` and the demo agent of `make run`."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main as bot_main
from bot.config import Settings
from bot.handoff.agent_repository import AgentRepository
from bot.handoff.database import create_handoff_engine
from bot.handoff.demo_agent import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_agent


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'nested' / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_agents_are_created_and_listed(database_url: str, capsys: pytest.CaptureFixture) -> None:
    assert bot_main(["agents", "create", "--username", "dana", "--display-name", "Dana Scully",
                     "--password", "trust-no-one", "--max-chats", "5"]) == 0
    assert bot_main(["agents", "create", "--username", "dana", "--display-name", "Again",
                     "--password", "trust-no-one"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert bot_main(["agents", "list"]) == 0
    assert "dana\tDana Scully\taway\tmax 5 chats" in capsys.readouterr().out
    engine = create_handoff_engine(database_url)
    assert AgentRepository(engine).log_in("dana", "trust-no-one") is not None
    engine.dispose()


def test_the_demo_agent_is_created_only_when_there_is_no_agent(database_url: str) -> None:
    settings = Settings.from_env()
    created = ensure_demo_agent(settings)
    assert created is not None and created.username == DEMO_USERNAME
    assert ensure_demo_agent(settings) is None
    engine = create_handoff_engine(database_url)
    agents = AgentRepository(engine)
    assert agents.log_in(DEMO_USERNAME, DEMO_PASSWORD) is not None
    assert agents.count() == 1
    engine.dispose()
