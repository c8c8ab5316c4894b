"""Tracker store errors fail the one request they happen in, never the Rasa server.

Rasa's `SQLTrackerStore.session_scope` catches every ValueError raised while a session is open (meant for
a missing PostgreSQL schema) and exits the process. A sender id SQLite cannot encode, such as a lone
surrogate, raises UnicodeEncodeError, a ValueError: one request stopped the whole server. Rasa's agent
also wraps the store in a `FailSafeTrackerStore` that goes on after any store error with an empty,
in-memory conversation, so the customer is answered by a bot that has forgotten them and nothing is
stored.

With `install()` (the Rasa launcher calls it before Rasa starts) a missing schema is still named, but
as the error of the request that found it, and every store error reaches the channel, which answers that
request with an error (the REST channel: 503). Other conversations go on as before.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Iterator, Optional

from rasa.shared.exceptions import RasaException

if TYPE_CHECKING:
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.shared.core.domain import Domain
    from sqlalchemy.orm import Session


class MissingSchema(RasaException):
    """The PostgreSQL schema named by POSTGRESQL_SCHEMA does not exist."""


@contextlib.contextmanager
def session_scope(store: SQLTrackerStore) -> Iterator[Session]:
    """Rasa's transactional scope, with only the schema check's own ValueError read as a missing schema."""
    from rasa.core import tracker_store
    from rasa.core.constants import POSTGRESQL_SCHEMA

    session = store.sessionmaker()
    try:
        try:
            tracker_store.ensure_schema_exists(session)
        except ValueError as error:
            raise MissingSchema(
                f"Requested PostgreSQL schema '{error}' was not found in the database: create it, or unset "
                f"{POSTGRESQL_SCHEMA} to use the default schema."
            ) from error
        yield session
    finally:
        session.close()


def fail_the_request(error: Exception) -> None:
    """The FailSafeTrackerStore's error callback: the error goes on to the channel instead of a forgetful fallback."""
    raise error


def reporting_tracker_store(store: Optional[TrackerStore], domain: Domain) -> TrackerStore:
    """What Rasa's `Agent._create_tracker_store` builds, with store errors passed on."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    if store is None:
        store = InMemoryTrackerStore(domain)
    else:
        store.domain = domain
    return FailSafeTrackerStore(store, on_tracker_store_error=fail_the_request)


def install() -> None:
    """Replace both behaviours; call before Rasa builds its agent."""
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import SQLTrackerStore

    # Patching methods is the point here; mypy also reads Rasa's decorated method with `self` twice.
    SQLTrackerStore.session_scope = session_scope  # type: ignore[method-assign,assignment]
    Agent._create_tracker_store = staticmethod(reporting_tracker_store)  # type: ignore[method-assign]
