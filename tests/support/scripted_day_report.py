"""Prints the report of the scripted day as JSON: `python -m tests.support.scripted_day_report [--database postgresql]`.

The day runs on a fresh database (a temporary SQLite file, or a schema of its own on the PostgreSQL server
at 127.0.0.1:5432) against a stand-in Rasa on loopback, and the summary is what `/api/reports/summary`
answers for that day.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict

import aiohttp

from tests.support.handoff_fixtures import StandInRasa, database_for
from tests.support.scripted_day import RasaEvents, play_day, report_day


async def _day(backend: str, folder: Path) -> Dict[str, Any]:
    rasa = StandInRasa().start()
    try:
        with database_for(backend, folder) as database:
            engine = database.engine()
            try:
                async with aiohttp.ClientSession() as session:
                    await play_day(engine, session, rasa.url, RasaEvents(folder / "events.db"))
                return report_day(engine)
            finally:
                engine.dispose()
    finally:
        rasa.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = asyncio.run(_day(args.database, Path(folder)))
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
