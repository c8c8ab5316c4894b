"""Bearer tokens between the processes and for the REST channel: read from the header, compared in constant time."""

from __future__ import annotations

import hmac
from typing import Optional

from sanic.request import Request


def bearer_token(request: Request) -> Optional[str]:
    """The token of `Authorization: Bearer <token>`, or None."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_matches(given: Optional[str], expected: Optional[str]) -> bool:
    """False for a missing token on either side, so an unconfigured secret never opens anything."""
    if not given or not expected:
        return False
    try:
        return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
    except UnicodeEncodeError:
        return False
