"""Webhook authenticity checks accept what the platforms sign and nothing else."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from bot.rasa_server.channels.signatures import (
    is_valid_messenger_signature,
    is_valid_slack_signature,
    is_valid_telegram_secret,
    is_valid_twilio_signature,
    messenger_signature,
    slack_signature,
)

BODY = b'{"object":"page","entry":[]}'


def test_messenger_signature_is_hmac_sha256_of_the_body() -> None:
    expected = "sha256=" + hmac.new(b"app-secret", BODY, hashlib.sha256).hexdigest()
    assert messenger_signature("app-secret", BODY) == expected
    assert is_valid_messenger_signature("app-secret", BODY, expected)


def test_messenger_refuses_other_secrets_bodies_and_sha1() -> None:
    good = messenger_signature("app-secret", BODY)
    assert not is_valid_messenger_signature("other-secret", BODY, good)
    assert not is_valid_messenger_signature("app-secret", BODY + b" ", good)
    sha1 = "sha1=" + hmac.new(b"app-secret", BODY, hashlib.sha1).hexdigest()
    assert not is_valid_messenger_signature("app-secret", BODY, sha1)
    assert not is_valid_messenger_signature("app-secret", BODY, None)
    assert not is_valid_messenger_signature("", BODY, good)


def test_slack_signature_covers_timestamp_and_body() -> None:
    now = time.time()
    timestamp = str(int(now))
    header = slack_signature("signing-secret", timestamp, BODY)
    assert is_valid_slack_signature("signing-secret", BODY, timestamp, header, now=now)
    assert not is_valid_slack_signature("signing-secret", BODY + b"x", timestamp, header, now=now)
    assert not is_valid_slack_signature("signing-secret", BODY, str(int(now) + 1), header, now=now)
    assert not is_valid_slack_signature("other", BODY, timestamp, header, now=now)


def test_slack_refuses_a_replayed_request() -> None:
    old = str(int(time.time()) - 600)
    header = slack_signature("signing-secret", old, BODY)
    assert not is_valid_slack_signature("signing-secret", BODY, old, header)
    assert not is_valid_slack_signature("signing-secret", BODY, "not-a-number", header)


def _twilio_reference_signature(token: str, url: str, params: dict) -> str:
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def test_twilio_signature_matches_twilios_documented_scheme() -> None:
    url = "https://shop.example.com/webhooks/twilio/webhook"
    params = {"From": "+15550003333", "Body": "where is my order", "To": "+15550001111"}
    header = _twilio_reference_signature("auth-token", url, params)
    assert is_valid_twilio_signature("auth-token", url, params, header)
    assert not is_valid_twilio_signature("auth-token", url, {**params, "Body": "refund me"}, header)
    assert not is_valid_twilio_signature("auth-token", url + "?x=1", params, header)
    assert not is_valid_twilio_signature("other-token", url, params, header)
    assert not is_valid_twilio_signature("auth-token", url, params, None)


def test_telegram_secret_must_match_exactly() -> None:
    assert is_valid_telegram_secret("s3cret-token", "s3cret-token")
    assert not is_valid_telegram_secret("s3cret-token", "s3cret-token ")
    assert not is_valid_telegram_secret("s3cret-token", None)
    assert not is_valid_telegram_secret("", "")
