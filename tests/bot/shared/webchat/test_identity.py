"""Signed shopper tokens: only a current token signed with our secret names a customer."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from bot.shared.webchat.identity import (
    AUDIENCE,
    METADATA_KEY,
    issue_shopper_token,
    shopper_email_from_metadata,
    verify_shopper_token,
)

SECRET = "a-shared-secret-of-decent-length"


def _b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_token_we_signed_names_the_customer() -> None:
    token = issue_shopper_token(" Jane.Doe@Example.com ", SECRET)
    assert verify_shopper_token(token, SECRET) == "jane.doe@example.com"


def test_an_expired_token_names_no_one() -> None:
    two_hours_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    token = issue_shopper_token("jane@example.com", SECRET, now=two_hours_ago)
    assert verify_shopper_token(token, SECRET) is None


def test_a_token_signed_with_another_secret_names_no_one() -> None:
    token = issue_shopper_token("jane@example.com", "somebody-elses-secret-value")
    assert verify_shopper_token(token, SECRET) is None


def test_a_tampered_payload_breaks_the_signature() -> None:
    header, _, signature = issue_shopper_token("jane@example.com", SECRET).split(".")
    now = datetime.now(timezone.utc)
    forged_claims = {
        "email": "victim@example.com",
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    forged = ".".join([header, _b64(forged_claims), signature])
    assert verify_shopper_token(forged, SECRET) is None


def test_an_unsigned_token_is_refused() -> None:
    now = datetime.now(timezone.utc)
    claims = {
        "email": "victim@example.com",
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    unsigned = ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(claims), ""])
    assert verify_shopper_token(unsigned, SECRET) is None


def test_a_token_for_another_audience_is_refused() -> None:
    now = datetime.now(timezone.utc)
    token = jwt.encode(
        {"email": "jane@example.com", "aud": "another-app", "iat": now, "exp": now + timedelta(hours=1)},
        SECRET,
        algorithm="HS256",
    )
    assert verify_shopper_token(token, SECRET) is None


def test_a_token_without_expiry_is_refused() -> None:
    now = datetime.now(timezone.utc)
    token = jwt.encode({"email": "jane@example.com", "aud": AUDIENCE, "iat": now}, SECRET, algorithm="HS256")
    assert verify_shopper_token(token, SECRET) is None


def test_a_signed_token_without_a_real_email_is_refused() -> None:
    now = datetime.now(timezone.utc)
    token = jwt.encode(
        {"email": "not an email", "aud": AUDIENCE, "iat": now, "exp": now + timedelta(hours=1)},
        SECRET,
        algorithm="HS256",
    )
    assert verify_shopper_token(token, SECRET) is None


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", None, 42, {"email": "x@y.z"}, "x" * 10_000])
def test_garbage_is_refused_without_raising(garbage: object) -> None:
    assert verify_shopper_token(garbage, SECRET) is None


@pytest.mark.parametrize("secret", [None, "", "short"])
def test_without_a_usable_secret_nothing_is_trusted(secret: object) -> None:
    token = issue_shopper_token("jane@example.com", SECRET)
    assert verify_shopper_token(token, secret) is None  # type: ignore[arg-type]


def test_issuing_refuses_a_weak_secret_or_bad_email() -> None:
    with pytest.raises(ValueError):
        issue_shopper_token("jane@example.com", "short")
    with pytest.raises(ValueError):
        issue_shopper_token("jane", SECRET)


def test_metadata_helper_reads_the_agreed_key() -> None:
    token = issue_shopper_token("jane@example.com", SECRET)
    assert shopper_email_from_metadata({METADATA_KEY: token}, SECRET) == "jane@example.com"
    assert shopper_email_from_metadata({"other": token}, SECRET) is None
    assert shopper_email_from_metadata(None, SECRET) is None
