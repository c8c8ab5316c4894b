"""Single-use stream tickets kept in Redis, so a ticket issued by one bot-service process opens the stream on another.

The same contract as the in-memory tickets (bot/service/stream_tickets.py): a ticket works once, within
its lifetime. Redis expires it; GETDEL makes redeeming it atomic across processes.
"""

from __future__ import annotations

import secrets
from typing import Optional

import redis  # type: ignore[import-untyped]

TICKET_LIFETIME_SECONDS = 30.0


class RedisStreamTickets:
    def __init__(self, url: str, key_prefix: str, lifetime_seconds: float = TICKET_LIFETIME_SECONDS) -> None:
        self.lifetime_seconds = lifetime_seconds
        self._prefix = f"{key_prefix}:stream_ticket:"
        # a loopback round trip; the short timeouts keep a lost Redis from holding the event loop for long
        self._client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def issue(self, token: str) -> str:
        ticket = secrets.token_urlsafe(24)
        self._client.set(self._prefix + ticket, token, px=int(self.lifetime_seconds * 1000))
        return ticket

    def redeem(self, ticket: str) -> Optional[str]:
        """The login token the ticket was issued for; None if unknown, used already or expired."""
        value = self._client.getdel(self._prefix + ticket)
        return value.decode() if isinstance(value, bytes) else None

    def close(self) -> None:
        self._client.close()
