"""`python -m bot.action_server.launch`: rasa-sdk's action server, reachable only by the Rasa server.

It binds to ACTION_BIND_HOST (loopback by default) and answers `/webhook` and `/actions` only with
`Authorization: Bearer <ACTION_SERVER_TOKEN>`, the header `endpoints.yml` makes Rasa send. `/health`
stays open and says nothing but "ok". Errors get a short JSON answer, never the exception or the request.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import List, Optional

from bot.action_server.app import create_action_server
from bot.shared import log_masking
from bot.shared.http import guard as http_guard
from bot.shared.settings import Settings
from bot.shared.startup_checks import refuse_unsafe_start
from bot.store.repository import StoreRepository


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actions", default="actions", help="package holding the actions")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.action_server.launch")
    add_arguments(parser)
    args = parser.parse_args(argv)
    log_masking.install()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    refuse_unsafe_start(settings, "action server")
    if not settings.action_server_token:
        print("error: ACTION_SERVER_TOKEN is not set; the action server will not run open", file=sys.stderr)
        return 2
    # a kept connection for each store thread (bot/store/worker_threads.py)
    store = StoreRepository.from_url(settings.database_url, kept_connections=settings.action_store_threads)
    app = create_action_server(settings, store, args.actions)
    http_guard.install()
    try:
        app.run(host=settings.action_bind_host, port=settings.action_port, workers=1, access_log=False)
    finally:
        store.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
