"""`python -m bot serve`: runs the bot service on SERVICE_PORT."""

from __future__ import annotations

import argparse
import sys

from bot.shared import log_masking
from bot.shared.http import guard as http_guard
from bot.shared.settings import Settings
from bot.shared.startup_checks import refuse_unsafe_start


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="interface to bind (default: BIND_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (default: SERVICE_PORT)")
    parser.add_argument("--debug", action="store_true", help="Sanic debug mode")


def main(args: argparse.Namespace) -> int:
    from bot.service.app import create_app
    from bot.service.handoff.business_hours import InvalidBusinessHours
    from bot.service.handoff.demo_agent import demo_agent_present

    log_masking.install()
    settings = Settings.from_env()
    refuse_unsafe_start(
        settings, "bot service", demo_agent_present=settings.production and demo_agent_present(settings)
    )
    try:
        app = create_app(settings)
    except InvalidBusinessHours as error:
        print(f"error: BUSINESS_HOURS / BUSINESS_TIMEZONE: {error}", file=sys.stderr)
        return 2
    app.config.REQUEST_TIMEOUT = http_guard.REQUEST_TIMEOUT_SECONDS
    http_guard.install()
    # one worker: the consoles' live updates are fanned out inside this process
    app.run(
        host=args.host or settings.bind_host,
        port=args.port or settings.service_port,
        debug=args.debug,
        access_log=args.debug,
        workers=1,
    )
    return 0
