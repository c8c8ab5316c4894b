"""Short-lived, single-use tickets that open the console's event stream without a token in the URL.

Browsers' EventSource cannot send an Authorization header, and a token in a URL ends up in logs and
history; a ticket that works once, within seconds, is worth nothing there.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Dict, Optional

from bot.shared.security.rate_limit import Clock

TICKET_LIFETIME_SECONDS = 30.0


@dataclass(frozen=True)
class _Issued:
    token: str
    expires_at: float


class StreamTickets:
    """Kept in this process's memory: the stream is served by the one worker that issued the ticket."""

    def __init__(
        self,
        lifetime_seconds: float = TICKET_LIFETIME_SECONDS,
        clock: Clock = time.monotonic,
        max_outstanding: int = 10_000,
    ) -> None:
        self.lifetime_seconds = lifetime_seconds
        self._clock = clock
        self._max_outstanding = max_outstanding
        self._issued: Dict[str, _Issued] = {}
        self._lock = threading.Lock()

    def issue(self, token: str) -> str:
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            self._forget_expired(now)
            if len(self._issued) >= self._max_outstanding:
                # dicts keep insertion order: the oldest ticket goes first
                del self._issued[next(iter(self._issued))]
            self._issued[ticket] = _Issued(token, now + self.lifetime_seconds)
        return ticket

    def redeem(self, ticket: str) -> Optional[str]:
        """The login token the ticket was issued for; None if unknown, used already or expired."""
        with self._lock:
            issued = self._issued.pop(ticket, None)
            if issued is None or issued.expires_at <= self._clock():
                return None
            return issued.token

    def _forget_expired(self, now: float) -> None:
        for ticket in [ticket for ticket, issued in self._issued.items() if issued.expires_at <= now]:
            del self._issued[ticket]
