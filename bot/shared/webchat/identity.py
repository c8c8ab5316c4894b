"""Signed shopper tokens: how the shop tells the assistant who is signed in (JWT, HS256)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional, TypeGuard

import jwt

from bot.shared.clock import utc_now

ALGORITHM = "HS256"
AUDIENCE = "support-assistant"
EMAIL_CLAIM = "email"
# Where the widget puts the token in socket.io message metadata and REST metadata.
METADATA_KEY = "shopper_token"
MAX_TOKEN_LENGTH = 4096
MIN_SECRET_LENGTH = 16


def verify_shopper_token(token: object, secret: Optional[str]) -> Optional[str]:
    """Return the signed-in shopper's email, or None for anything not signed by `secret` and current.

    Only HS256 is accepted, so a token claiming `alg: none` or another algorithm is refused; the
    token must carry an expiry, our audience and a plausible email.
    """
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        return None
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "iat", EMAIL_CLAIM]},
        )
    except jwt.PyJWTError:
        return None
    email = claims.get(EMAIL_CLAIM)
    if not _looks_like_email(email):
        return None
    return email.strip().lower()


def issue_shopper_token(
    email: str,
    secret: str,
    lifetime: timedelta = timedelta(hours=1),
    now: Optional[datetime] = None,
) -> str:
    """Sign a token for `email`; what the shop's own backend does when a customer signs in."""
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"the signing secret must be at least {MIN_SECRET_LENGTH} characters")
    if not _looks_like_email(email):
        raise ValueError("not an email address")
    issued_at = now or utc_now()
    claims = {
        EMAIL_CLAIM: email.strip().lower(),
        "aud": AUDIENCE,
        "iat": issued_at,
        "exp": issued_at + lifetime,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def shopper_email_from_metadata(metadata: object, secret: Optional[str]) -> Optional[str]:
    """The verified email carried in a message's metadata, or None."""
    if not isinstance(metadata, dict):
        return None
    return verify_shopper_token(metadata.get(METADATA_KEY), secret)


def _looks_like_email(value: object) -> TypeGuard[str]:
    if not isinstance(value, str):
        return False
    local, at, domain = value.strip().partition("@")
    return bool(at and local and "." in domain and len(value) <= 254 and " " not in value.strip())
