"""Mailgun's webhook signature: HMAC-SHA256 of timestamp + token with the signing key, and its time window."""

from __future__ import annotations

import hashlib
import hmac
from typing import Optional

from bot.shared.security.bearer import token_matches

# Mailgun's advice; a captured post older than this is refused even before its token is looked up.
MAX_AGE_SECONDS = 300
MAX_TOKEN_LENGTH = 128


def mailgun_signature(signing_key: str, timestamp: str, token: str) -> str:
    message = (timestamp + token).encode("utf-8")
    return hmac.new(signing_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def is_valid_mailgun_signature(
    signing_key: str,
    timestamp: Optional[str],
    token: Optional[str],
    signature: Optional[str],
    now: float,
) -> bool:
    if not signing_key or not timestamp or not token or not signature or len(token) > MAX_TOKEN_LENGTH:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > MAX_AGE_SECONDS:
        return False
    try:
        expected = mailgun_signature(signing_key, timestamp, token)
    except UnicodeEncodeError:  # a lone surrogate in the posted token
        return False
    # a signature with non-ASCII text is simply wrong, never an error
    return token_matches(signature.strip().lower(), expected)
