"""Command line of the store: `python -m actions.store demo [--database-url URL] [--force]`."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from actions.store.demo_command import add_demo_arguments, run_demo


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.store")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the deterministic demo store")
    demo.add_argument(
        "--database-url", default=None, help="SQLAlchemy URL; defaults to DATABASE_URL or var/shop.db"
    )
    add_demo_arguments(demo)
    args = parser.parse_args(argv)
    database_url = args.database_url
    if database_url is None:
        # Imported here so the configuration is read only when no URL was given.
        from bot.config import Settings

        database_url = Settings.from_env().database_url
    return run_demo(database_url, args.force, args.today, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
