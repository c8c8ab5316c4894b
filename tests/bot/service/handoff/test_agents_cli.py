"""`python -m bot agents`: create (with a role), list, set-role."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main as bot_main
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine
from bot.service.handoff.records import AgentRole


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'nested' / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_agents_are_created_and_listed(database_url: str, capsys: pytest.CaptureFixture) -> None:
    assert (
        bot_main(
            [
                "agents",
                "create",
                "--username",
                "dana",
                "--display-name",
                "Dana Scully",
                "--password",
                "trust-no-one",
                "--max-chats",
                "5",
            ]
        )
        == 0
    )
    assert (
        bot_main(["agents", "create", "--username", "dana", "--display-name", "Again", "--password", "trust-no-one"])
        == 1
    )
    assert "already exists" in capsys.readouterr().err
    assert bot_main(["agents", "list"]) == 0
    assert "dana\tDana Scully\tagent\taway\tmax 5 chats" in capsys.readouterr().out
    engine = create_handoff_engine(database_url)
    assert AgentRepository(engine).log_in("dana", "trust-no-one") is not None
    engine.dispose()


def test_supervisors_are_created_with_role_and_agents_promoted(
    database_url: str, capsys: pytest.CaptureFixture
) -> None:
    assert (
        bot_main(
            [
                "agents",
                "create",
                "--username",
                "sam",
                "--display-name",
                "Sam",
                "--password",
                "password-123",
                "--role",
                "supervisor",
            ]
        )
        == 0
    )
    assert (
        bot_main(["agents", "create", "--username", "lee", "--display-name", "Lee", "--password", "password-123"]) == 0
    )
    assert bot_main(["agents", "set-role", "--username", "lee", "--role", "supervisor"]) == 0
    assert bot_main(["agents", "set-role", "--username", "nobody", "--role", "agent"]) == 1
    assert "no agent called 'nobody'" in capsys.readouterr().err
    engine = create_handoff_engine(database_url)
    roles = {agent.username: agent.role for agent in AgentRepository(engine).list()}
    engine.dispose()
    assert roles == {"sam": AgentRole.SUPERVISOR, "lee": AgentRole.SUPERVISOR}


def test_an_unknown_role_is_refused(database_url: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        bot_main(
            [
                "agents",
                "create",
                "--username",
                "x",
                "--display-name",
                "X",
                "--password",
                "password-123",
                "--role",
                "admin",
            ]
        )
    assert "invalid choice" in capsys.readouterr().err
