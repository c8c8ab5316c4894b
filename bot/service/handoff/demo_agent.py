"""The demo agent of `make run` (DEMO_MODE=1): a random password kept under var/, never a published one."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from bot.service.handoff import tables as schema
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import (
    create_handoff_engine,
    create_handoff_tables,
    ensure_sqlite_folder,
)
from bot.shared.settings import PROJECT_ROOT, Settings

DEMO_USERNAME = "demo"
DEMO_DISPLAY_NAME = "Demo Agent"
# what earlier releases created for everyone; a database that still has it must not go to production
PUBLISHED_DEMO_PASSWORD = "demo-password"
PASSWORD_FILE_NAME = "demo-agent.password"


@dataclass(frozen=True)
class DemoAgentLogin:
    """What `make run` prints so that the person trying the demo can log in."""

    username: str
    password: str


def default_var_dir() -> Path:
    return PROJECT_ROOT / "var"


def password_file(var_dir: Optional[Path] = None) -> Path:
    return (var_dir or default_var_dir()) / PASSWORD_FILE_NAME


def stored_password(var_dir: Optional[Path] = None) -> Optional[str]:
    path = password_file(var_dir)
    if not path.exists():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def _stored_or_new_password(var_dir: Optional[Path]) -> str:
    path = password_file(var_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two start-ups at once agree on one password; 0600: only this user can read it
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
        existing = stored_password(var_dir)
        if existing is not None:
            return existing
        descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC)
    password = secrets.token_urlsafe(18)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    os.chmod(path, 0o600)
    return password


def ensure_demo_agent(settings: Settings, var_dir: Optional[Path] = None) -> Optional[DemoAgentLogin]:
    """In demo mode: the demo agent exists with the password kept in var/; None outside demo mode.

    Never in production, even with DEMO_MODE set. An older demo agent (the published password, or
    a password file that was deleted) gets the kept password, and its sessions end.
    """
    if not settings.demo_mode or settings.production:
        return None
    password = _stored_or_new_password(var_dir)
    ensure_sqlite_folder(settings.database_url)
    engine = create_handoff_engine(settings.database_url)
    try:
        create_handoff_tables(engine)
        agents = AgentRepository(engine)
        agent = agents.find(DEMO_USERNAME)
        if agent is None:
            agents.create(DEMO_USERNAME, DEMO_DISPLAY_NAME, password, settings.agent_max_chats)
        elif not agents.has_password(DEMO_USERNAME, password):
            agents.set_password(agent.id, password)
    finally:
        engine.dispose()
    return DemoAgentLogin(DEMO_USERNAME, password)


def _sqlite_file_missing(database_url: str) -> bool:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return False
    return not Path(url.database).exists()


def demo_agent_present(settings: Settings, var_dir: Optional[Path] = None) -> bool:
    """True when an agent `demo` can be logged into with a password that is not secret.

    That is the one in var/demo-agent.password or the published `demo-password`. Read-only: the
    production start-up check calls it and it creates nothing, not even the tables.
    """
    if _sqlite_file_missing(settings.database_url):
        return False
    candidates = [PUBLISHED_DEMO_PASSWORD]
    kept = stored_password(var_dir)
    if kept is not None:
        candidates.append(kept)
    engine = create_handoff_engine(settings.database_url)
    try:
        if not inspect(engine).has_table(schema.agents.name):
            return False
        agents = AgentRepository(engine)
        return any(agents.has_password(DEMO_USERNAME, candidate) for candidate in candidates)
    finally:
        engine.dispose()
