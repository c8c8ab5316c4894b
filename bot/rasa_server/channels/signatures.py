"""Webhook authenticity checks, one pure function per platform, all compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, Mapping, Optional

from twilio.request_validator import RequestValidator

from bot.shared.security.bearer import token_matches

SLACK_MAX_AGE_SECONDS = 300


def messenger_signature(app_secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` value Meta sends with a webhook body."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def is_valid_messenger_signature(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    if not app_secret or not header:
        return False
    # a header with non-ASCII text is simply wrong, never an error
    return token_matches(header.strip(), messenger_signature(app_secret, body))


def slack_signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Slack-Signature` value Slack sends: HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def is_valid_slack_signature(
    signing_secret: str,
    body: bytes,
    timestamp: Optional[str],
    header: Optional[str],
    now: Optional[float] = None,
) -> bool:
    """Refuse stale timestamps as well as bad signatures, so a captured request cannot be replayed."""
    if not signing_secret or not timestamp or not header:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > SLACK_MAX_AGE_SECONDS:
        return False
    return token_matches(header.strip(), slack_signature(signing_secret, timestamp, body))


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The `X-Twilio-Signature` value Twilio sends for a form POST to `url`."""
    return str(RequestValidator(auth_token).compute_signature(url, dict(params)))


def is_valid_twilio_signature(auth_token: str, url: str, params: Mapping[str, Any], header: Optional[str]) -> bool:
    """`params` is the form as received: a dict of strings, or a multi-dict with `getlist` (Sanic's)."""
    if not auth_token or not header:
        return False
    # Twilio's own validator also accepts the URL with and without an explicit port, as Twilio signs either.
    return bool(RequestValidator(auth_token).validate(url, params, header.strip()))


def is_valid_telegram_secret(secret_token: str, header: Optional[str]) -> bool:
    """Telegram echoes the `secret_token` given to `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`."""
    if not secret_token or not header:
        return False
    return token_matches(header, secret_token)
