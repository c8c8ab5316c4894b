"""`python -m bot agents create|list|set-role`: manage support agent accounts."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import (
    create_handoff_engine,
    create_handoff_tables,
    ensure_sqlite_folder,
)
from bot.service.handoff.errors import HandoffError
from bot.service.handoff.records import AgentRole
from bot.shared.settings import Settings

ROLES = [role.value for role in AgentRole]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True)
    create = commands.add_parser("create", help="create an agent account")
    create.add_argument("--username", required=True)
    create.add_argument("--display-name", required=True)
    create.add_argument("--password", help="prompted for when left out")
    create.add_argument("--max-chats", type=int, help="concurrent chats (default: AGENT_MAX_CHATS)")
    create.add_argument(
        "--role",
        choices=ROLES,
        default=AgentRole.AGENT.value,
        help="agent (default): writes in the chats they claimed; supervisor: in any chat",
    )
    commands.add_parser("list", help="list agent accounts")
    set_role = commands.add_parser("set-role", help="make an agent a supervisor or back")
    set_role.add_argument("--username", required=True)
    set_role.add_argument("--role", choices=ROLES, required=True)


def _list(agents: AgentRepository) -> int:
    for agent in agents.list():
        print(
            f"{agent.username}\t{agent.display_name}\t{agent.role.value}\t{agent.status.value}"
            f"\tmax {agent.max_concurrent_chats} chats"
        )
    return 0


def _create(agents: AgentRepository, args: argparse.Namespace, settings: Settings) -> int:
    password = args.password or getpass.getpass("Password: ")
    agent = agents.create(
        args.username,
        args.display_name,
        password,
        args.max_chats or settings.agent_max_chats,
        AgentRole(args.role),
    )
    print(f"created {agent.role.value} {agent.username} ({agent.display_name})")
    return 0


def _set_role(agents: AgentRepository, args: argparse.Namespace) -> int:
    agent = agents.find(args.username)
    if agent is None:
        print(f"error: there is no agent called {args.username!r}", file=sys.stderr)
        return 1
    agents.set_role(agent.id, AgentRole(args.role))
    print(f"{agent.username} is now a {args.role}")
    return 0


def main(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    ensure_sqlite_folder(settings.database_url)
    engine = create_handoff_engine(settings.database_url)
    try:
        create_handoff_tables(engine)
        agents = AgentRepository(engine)
        if args.action == "list":
            return _list(agents)
        if args.action == "set-role":
            return _set_role(agents, args)
        return _create(agents, args, settings)
    except HandoffError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
