"""The demo agent `make run` offers when no agent account exists yet."""
from __future__ import annotations

from typing import Optional

from bot.config import Settings
from bot.handoff.agent_repository import AgentRepository
from bot.handoff.database import (
    create_handoff_engine,
    create_handoff_tables,
    ensure_sqlite_folder,
)
from bot.handoff.models import Agent

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"


def ensure_demo_agent(settings: Settings) -> Optional[Agent]:
    """Creates demo / demo-password when there is no agent at all; returns it, or None if agents exist."""
    ensure_sqlite_folder(settings.database_url)
    engine = create_handoff_engine(settings.database_url)
    try:
        create_handoff_tables(engine)
        agents = AgentRepository(engine)
        if agents.count() > 0:
            return None
        return agents.create(DEMO_USERNAME, "Demo Agent", DEMO_PASSWORD, settings.agent_max_chats)
    finally:
        engine.dispose()
