"""Web chat sessions belong to whoever the server gave them to: each id comes with an HMAC proof.

The socket.io channel (Rasa process) issues a new id and its proof; the widget keeps both and shows the
proof to reconnect, and to read the history from the bot service. Both processes share
WEBCHAT_SESSION_SECRET, so neither has to store sessions. A client that names an id without its proof
gets a new session, never that one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from typing import Optional, Tuple

SESSION_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
PROOF_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
PROOF_HEADER = "X-Chat-Session-Proof"
_CONTEXT = b"webchat-session:"
MIN_SECRET_LENGTH = 16


class SessionSecretMissing(ValueError):
    """The web chat cannot prove sessions without WEBCHAT_SESSION_SECRET."""


def _key(secret: Optional[str]) -> bytes:
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        raise SessionSecretMissing(f"WEBCHAT_SESSION_SECRET must be at least {MIN_SECRET_LENGTH} characters")
    return secret.encode("utf-8")


def is_valid_session_id(value: object) -> bool:
    return isinstance(value, str) and bool(SESSION_ID_PATTERN.fullmatch(value))


def proof_for(session_id: str, secret: Optional[str]) -> str:
    digest = hmac.new(_key(secret), _CONTEXT + session_id.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def new_session(secret: Optional[str]) -> Tuple[str, str]:
    session_id = uuid.uuid4().hex
    return session_id, proof_for(session_id, secret)


def proof_matches(session_id: object, proof: object, secret: Optional[str]) -> bool:
    """Constant-time check that `proof` is the one issued with `session_id`."""
    if not is_valid_session_id(session_id) or not isinstance(proof, str) or not PROOF_PATTERN.fullmatch(proof):
        return False
    return hmac.compare_digest(proof_for(str(session_id), secret), proof)
