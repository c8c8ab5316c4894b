"""`python -m bot.rasa_server.launch run ...`: Rasa's own command line, with the serving fixes installed first.

The fixes: a prebuilt validator for action replies, token authentication on the HTTP API (the token is
read from RASA_API_TOKEN, so it never shows in the process list), masked logs, SQL errors without
bound parameters, Rasa's own SQLite files in WAL mode (`sqlite_tuning`), tracker stores that work off the
event loop (`off_loop_tracker_stores`), the NLU parse on worker threads (`parse_off_loop`), kept connections to the action server
(`kept_http_sessions`), event classes found by name from a table (`event_types`), a rule search that stops
where no older turn can matter (`policies.rule_lookup`), the HTTP guard (malformed framing refused, slow bodies timed out)
and tracker store errors that fail one conversation instead of exiting the server, and API bodies of the
wrong shape refused with 400 before Rasa's handlers read them.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional

from bot.rasa_server import (
    action_response_validation,
    event_types,
    rasa_api_bodies,
    sql_parameters,
    sqlite_tuning,
    tracker_store_errors,
)
from bot.rasa_server import api_auth as rasa_api_auth
from bot.rasa_server.policies import rule_lookup
from bot.shared import log_masking
from bot.shared.http import guard as http_guard
from bot.shared.settings import Settings
from bot.shared.startup_checks import refuse_unsafe_start

API_FLAG = "--enable-api"
# Customer messages and platform webhooks are small; Sanic's own default is 100 MB.
REQUEST_MAX_SIZE = str(256 * 1024)
OPENMP_THREADS = "1"


def rasa_arguments(argv: List[str], api_token: Optional[str]) -> List[str]:
    """The arguments for Rasa: with the API switched on, the token from the environment is added."""
    given = any(argument.split("=", 1)[0] in ("--auth-token", "-t") for argument in argv)
    if API_FLAG in argv and api_token and not given:
        # one argument with "=": a random token may begin with "-", which argparse would take for an option
        return [*argv, f"--auth-token={api_token}"]
    return list(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Takes exactly the arguments `python -m rasa` takes."""
    log_masking.install()
    refuse_unsafe_start(Settings.from_env(), "Rasa server")
    # Before Rasa loads anything: OpenMP reads this once, when the first library using it (scikit-learn's)
    # loads, so the sentence encoder's own setting comes too late. With the default (one thread per core)
    # each e5 query cost 123 ms of CPU instead of 11 ms, its idle threads spinning; the vectors are the same.
    os.environ.setdefault("OMP_NUM_THREADS", OPENMP_THREADS)
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", REQUEST_MAX_SIZE)
    os.environ.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", str(http_guard.KEEP_ALIVE_TIMEOUT_SECONDS))
    os.environ.setdefault("SANIC_REQUEST_TIMEOUT", str(http_guard.REQUEST_TIMEOUT_SECONDS))
    http_guard.install()
    tracker_store_errors.install()
    sql_parameters.hide_parameters_everywhere()
    sqlite_tuning.install()
    # imported here: the stores' module loads Rasa's tracker stores, the launcher's other fixes need not
    from bot.rasa_server import kept_http_sessions, off_loop_tracker_stores, parse_off_loop

    off_loop_tracker_stores.install()
    parse_off_loop.install()
    kept_http_sessions.install()
    action_response_validation.install()
    event_types.install()
    rule_lookup.install()
    rasa_api_auth.install()
    rasa_api_bodies.install()
    from rasa.__main__ import main as rasa_main

    arguments = rasa_arguments(
        sys.argv[1:] if argv is None else argv, os.environ.get(rasa_api_auth.ENVIRONMENT_VARIABLE)
    )
    sys.argv = ["rasa", *arguments]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
