"""Agent passwords (argon2) and login tokens (random, stored only as a hash)."""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_password_hash() -> str:
    """A hash of nothing anyone knows, with the real parameters, for logins of unknown usernames.

    Verifying against it costs what verifying a real agent's hash costs, so the answer time does
    not tell which usernames exist. Made on first use, not at import.
    """
    return _hasher.hash(secrets.token_urlsafe(32))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """A leaked database must not yield usable tokens, so only this digest is stored."""
    # surrogatepass: a header that is not UTF-8 reaches us with surrogates; it must give 401, not 500
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
