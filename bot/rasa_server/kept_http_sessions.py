"""Rasa's calls to its endpoints (the action server above all) over kept connections.

Rasa 3.6's `EndpointConfig.request` runs `async with self.session() as session:` for every call: a new
aiohttp session, and with it a new TCP connection, opened and closed per custom action, a connect and a
teardown on both sides each time. Here `session()` hands out the endpoint's one session on the running
loop (built by Rasa's own `session()`: same headers, authentication and timeout) in a wrapper that does
not close it, so Rasa's request code runs unchanged and its connections are reused. The sessions are
closed when the Rasa server stops.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, List, Optional, Tuple

SESSIONS_ATTRIBUTE = "_kept_sessions"


class KeptSession:
    """What `async with endpoint.session() as session:` gets: the kept session, left open afterwards."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class KeptSessions:
    """The sessions this process keeps, one per endpoint and event loop."""

    def __init__(self) -> None:
        self._open: List[Tuple[asyncio.AbstractEventLoop, Any]] = []

    def session_of(self, endpoint: Any, make: Callable[[Any], Any]) -> KeptSession:
        loop = asyncio.get_running_loop()
        sessions: Dict[asyncio.AbstractEventLoop, Any] = endpoint.__dict__.setdefault(SESSIONS_ATTRIBUTE, {})
        session = sessions.get(loop)
        if session is None or session.closed:
            session = make(endpoint)
            sessions[loop] = session
            self._open.append((loop, session))
        return KeptSession(session)

    async def close(self) -> None:
        """Closes the sessions made on the running loop."""
        loop = asyncio.get_running_loop()
        mine = [entry for entry in self._open if entry[0] is loop]
        for entry in mine:
            self._open.remove(entry)
            await entry[1].close()


def install(kept: Optional[KeptSessions] = None) -> KeptSessions:
    """Makes every endpoint of this process keep its session, and the server close them when it stops."""
    from rasa.core import run
    from rasa.utils.endpoints import EndpointConfig

    kept = kept or KeptSessions()
    make = getattr(EndpointConfig.session, "__wrapped_session__", EndpointConfig.session)

    def session(self: Any) -> KeptSession:
        return kept.session_of(self, make)

    session.__wrapped_session__ = make  # type: ignore[attr-defined]
    EndpointConfig.session = session  # type: ignore[assignment,method-assign]

    close_resources = getattr(run.close_resources, "__wrapped_close__", run.close_resources)

    async def close_resources_and_sessions(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        await close_resources(app, loop)
        await kept.close()

    close_resources_and_sessions.__wrapped_close__ = close_resources  # type: ignore[attr-defined]
    run.close_resources = close_resources_and_sessions  # type: ignore[assignment]
    return kept
