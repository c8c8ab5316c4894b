"""`python -m bot agents create|list`: manage support agent accounts."""
from __future__ import annotations

import argparse
import getpass
import sys

from bot.config import Settings
from bot.handoff.agent_repository import AgentRepository
from bot.handoff.database import (
    create_handoff_engine,
    create_handoff_tables,
    ensure_sqlite_folder,
)
from bot.handoff.errors import HandoffError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True)
    create = commands.add_parser("create", help="create an agent account")
    create.add_argument("--username", required=True)
    create.add_argument("--display-name", required=True)
    create.add_argument("--password", help="prompted for when left out")
    create.add_argument("--max-chats", type=int, help="concurrent chats (default: AGENT_MAX_CHATS)")
    commands.add_parser("list", help="list agent accounts")


def main(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    ensure_sqlite_folder(settings.database_url)
    engine = create_handoff_engine(settings.database_url)
    try:
        create_handoff_tables(engine)
        agents = AgentRepository(engine)
        if args.action == "list":
            for agent in agents.list():
                print(f"{agent.username}\t{agent.display_name}\t{agent.status.value}"
                      f"\tmax {agent.max_concurrent_chats} chats")
            return 0
        password = args.password or getpass.getpass("Password: ")
        try:
            agent = agents.create(
                args.username, args.display_name, password, args.max_chats or settings.agent_max_chats
            )
        except HandoffError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"created agent {agent.username} ({agent.display_name})")
        return 0
    finally:
        engine.dispose()
