"""`python -m bot demo-data`: builds the deterministic demo store in the configured DATABASE_URL."""
from __future__ import annotations

import argparse
import sys

from actions.store.demo_command import add_demo_arguments, run_demo
from bot.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_demo_arguments(parser)


def main(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    return run_demo(settings.database_url, args.force, args.today, sys.stdout)
