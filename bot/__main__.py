"""Command line: `python -m bot <command>`; each command lives in its own module and is imported lazily."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

# command name -> (module, help); each module has `add_arguments(parser)` and `main(args) -> int`
COMMANDS = {
    "run": ("bot.supervisor.run", "start the Rasa server, the action server and the bot service"),
    "serve": ("bot.service.launch", "start the bot service (handoff API, agent console, web chat)"),
    "demo-data": ("bot.demo.command", "build the deterministic demo store in DATABASE_URL"),
    "spacy-model": ("bot.rasa_server.nlu.spacy_pipeline", "build the project's spaCy pipeline under models/spacy"),
    "agents": ("bot.service.handoff.agents_cli", "manage support agents (create, list, set-role)"),
    "privacy": ("bot.service.privacy.command", "export or erase one customer's data in every store"),
}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        subparser = subparsers.add_parser(name, help=help_text)
        subparser.set_defaults(module_name=module_name)
    known, rest = parser.parse_known_args(argv)
    module = importlib.import_module(known.module_name)
    command_parser = argparse.ArgumentParser(prog=f"python -m bot {known.command}")
    module.add_arguments(command_parser)
    return int(module.main(command_parser.parse_args(rest)) or 0)


if __name__ == "__main__":
    sys.exit(main())
