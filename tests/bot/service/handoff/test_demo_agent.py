"""The demo agent: only in demo mode, with a random password kept in var/, and detectable before production."""

from __future__ import annotations

import stat
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables, ensure_sqlite_folder
from bot.service.handoff.demo_agent import (
    DEMO_USERNAME,
    PUBLISHED_DEMO_PASSWORD,
    demo_agent_present,
    ensure_demo_agent,
    password_file,
)
from bot.shared.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'shop.db'}"})


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


@contextmanager
def agent_accounts(settings: Settings) -> Iterator[AgentRepository]:
    ensure_sqlite_folder(settings.database_url)
    engine = create_handoff_engine(settings.database_url)
    create_handoff_tables(engine)
    try:
        yield AgentRepository(engine)
    finally:
        engine.dispose()


def test_outside_demo_mode_there_is_no_demo_agent(settings: Settings, var_dir: Path) -> None:
    assert not settings.demo_mode
    assert ensure_demo_agent(settings, var_dir=var_dir) is None
    assert not password_file(var_dir).exists()
    assert not demo_agent_present(settings, var_dir=var_dir)
    with agent_accounts(settings) as agents:
        assert agents.count() == 0


def test_production_never_gets_a_demo_agent_even_with_demo_mode_set(settings: Settings, var_dir: Path) -> None:
    assert ensure_demo_agent(replace(settings, demo_mode=True, production=True), var_dir=var_dir) is None
    assert not password_file(var_dir).exists()
    assert not demo_agent_present(settings, var_dir=var_dir)


def test_in_demo_mode_the_password_is_random_kept_private_and_stable(settings: Settings, var_dir: Path) -> None:
    demo = replace(settings, demo_mode=True)
    login = ensure_demo_agent(demo, var_dir=var_dir)
    assert login is not None and login.username == DEMO_USERNAME
    assert login.password != PUBLISHED_DEMO_PASSWORD and len(login.password) >= 16
    kept = password_file(var_dir)
    assert kept.read_text().strip() == login.password
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    # a second start prints the same login and creates nothing new
    assert ensure_demo_agent(demo, var_dir=var_dir) == login
    with agent_accounts(settings) as agents:
        assert agents.count() == 1
        assert agents.log_in(DEMO_USERNAME, login.password) is not None
        assert agents.log_in(DEMO_USERNAME, PUBLISHED_DEMO_PASSWORD) is None
    # every checkout gets its own
    other = ensure_demo_agent(demo, var_dir=var_dir.parent / "other-var")
    assert other is not None and other.password != login.password


def test_the_demo_agent_is_added_beside_existing_agents(settings: Settings, var_dir: Path) -> None:
    with agent_accounts(settings) as agents:
        agents.create("dana", "Dana", "password-123")
        assert ensure_demo_agent(replace(settings, demo_mode=True), var_dir=var_dir) is not None
        assert sorted(agent.username for agent in agents.list()) == ["dana", "demo"]


def test_an_old_demo_agent_with_the_published_password_is_given_the_kept_one(settings: Settings, var_dir: Path) -> None:
    with agent_accounts(settings) as agents:
        old = agents.create(DEMO_USERNAME, "Demo Agent", PUBLISHED_DEMO_PASSWORD)
        old_session = agents.log_in(DEMO_USERNAME, PUBLISHED_DEMO_PASSWORD)
        assert old_session is not None
        login = ensure_demo_agent(replace(settings, demo_mode=True), var_dir=var_dir)
        assert login is not None
        assert agents.log_in(DEMO_USERNAME, PUBLISHED_DEMO_PASSWORD) is None
        assert agents.log_in(DEMO_USERNAME, login.password) is not None
        assert agents.agent_for_token(old_session) is None, "sessions opened with the old password end"
        assert agents.find(DEMO_USERNAME).id == old.id


def test_demo_agent_present_sees_the_kept_and_the_published_password(settings: Settings, var_dir: Path) -> None:
    assert not demo_agent_present(settings, var_dir=var_dir), "no database yet, and none is made"
    assert not Path(settings.database_url.removeprefix("sqlite:///")).exists()
    ensure_demo_agent(replace(settings, demo_mode=True), var_dir=var_dir)
    assert demo_agent_present(settings, var_dir=var_dir)

    with agent_accounts(settings) as agents:
        demo = agents.find(DEMO_USERNAME)
        agents.set_password(demo.id, PUBLISHED_DEMO_PASSWORD)
        assert demo_agent_present(settings, var_dir=var_dir)
        # an operator who gave `demo` a password of their own has no demo agent left
        agents.set_password(demo.id, "a-secret-of-the-operator")
        assert not demo_agent_present(settings, var_dir=var_dir)
