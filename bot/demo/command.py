"""`python -m bot demo-data`: builds the deterministic demo store in DATABASE_URL (or --database-url)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Optional, TextIO

from bot.demo.seed import DemoSummary, build_demo_store
from bot.shared.database import create_store_engine, ensure_sqlite_directory
from bot.shared.settings import Settings
from bot.store.errors import DemoStoreExists, StoreUnavailable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="the store to build (default: DATABASE_URL)")
    parser.add_argument("--force", action="store_true", help="replace the store rows if the database already has some")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="build as if today were this date (YYYY-MM-DD); defaults to the current UTC date",
    )


def main(args: argparse.Namespace) -> int:
    database_url = args.database_url or Settings.from_env().database_url
    return run_demo(database_url, args.force, args.today, sys.stdout)


def run_demo(database_url: str, force: bool, today: Optional[date], out: TextIO) -> int:
    """Build the demo store and print what was built; exit code 0 also when the store already existed."""
    ensure_sqlite_directory(database_url)
    engine = create_store_engine(database_url)
    try:
        summary = build_demo_store(engine, today=today, force=force)
    except DemoStoreExists as exists:
        print(f"Demo store left as it is. {exists.reason}", file=out)
        return 0
    except StoreUnavailable as unavailable:
        print(f"Could not build the demo store: {unavailable.reason} ({_safe_url(database_url)})", file=out)
        return 1
    finally:
        engine.dispose()
    print(format_summary(summary, _safe_url(database_url)), file=out)
    return 0


def format_summary(summary: DemoSummary, where: str) -> str:
    counts = ", ".join(f"{count} {table.replace('_', ' ')}" for table, count in summary.row_counts.items())
    statuses = ", ".join(
        f"{count} {status.value}"
        for status, count in sorted(summary.order_statuses.items(), key=lambda item: item[0].value)
    )
    lines = [
        f"Demo store built in {where} for {summary.today.isoformat()}:",
        f"  {counts}",
        f"  orders by status: {statuses}",
        "Try it with these orders (order number / customer email):",
    ]
    lines += [f"  {order.number}  {order.customer_email:<26} {order.situation}" for order in summary.showcase_orders]
    return "\n".join(lines)


def _safe_url(url: str) -> str:
    """The URL without a password, fit for printing."""
    scheme, separator, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{separator}{credentials.split(':', 1)[0]}:***@{host}"
