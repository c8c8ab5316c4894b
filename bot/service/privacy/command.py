"""`python -m bot privacy export|erase --email ...|--phone ...`: one customer's data from every store, or its erasure."""

from __future__ import annotations

import argparse
import json
import sys

from bot.service.handoff.database import create_handoff_engine, create_handoff_tables, ensure_sqlite_folder
from bot.service.privacy.office import PrivacyOffice
from bot.service.reports.tables import create_report_tables
from bot.shared.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("export", "erase"), help="print everything stored, or erase it")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="the customer's e-mail address")
    who.add_argument("--phone", help="the customer's phone number, international (+49 171 5550123) or with --region")
    parser.add_argument("--region", help="the country of a national --phone number (DE, ES, FR, GB, ...)")


def main(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    ensure_sqlite_folder(settings.database_url)
    engine = create_handoff_engine(settings.database_url)
    create_handoff_tables(engine)
    create_report_tables(engine)
    office = PrivacyOffice.for_settings(engine, settings)
    try:
        if args.action == "export":
            json.dump(office.export(args.email, args.phone, args.region), sys.stdout, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            erasure = office.erase(args.email, args.phone, args.region)
            print(f"erased {erasure.conversations} conversations; rows changed per store: {erasure.changed}")
    except ValueError as error:
        print(f"privacy: {error}", file=sys.stderr)
        return 2
    finally:
        office.close()
        engine.dispose()
    return 0
