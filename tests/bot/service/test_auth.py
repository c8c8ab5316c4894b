"""The shared-secret comparison of the internal routes, and reading bearer tokens."""

from __future__ import annotations

from bot.service.auth import secret_matches


def test_the_secret_matches_only_itself() -> None:
    assert secret_matches("s3cret-value", "s3cret-value")
    assert not secret_matches("s3cret-value", "s3cret-valuE")
    assert not secret_matches("s3cret-value", "s3cret-value ")
    assert not secret_matches("s3cret-value", "")


def test_an_empty_or_blank_secret_matches_nothing_not_even_itself() -> None:
    for expected in ["", " ", "\t"]:
        assert not secret_matches(expected, expected)
        assert not secret_matches(expected, "")


def test_values_that_are_not_ascii_are_compared_not_crashed_on() -> None:
    # what Sanic hands over for header bytes that are not UTF-8: surrogate escapes
    escaped = b"\xe9t\xe9".decode("utf-8", "surrogateescape")
    assert not secret_matches("s3cret-value", escaped)
    assert not secret_matches("s3cret-value", "\ud800")
    assert secret_matches("s\u00e9cret", "s\u00e9cret")
    assert secret_matches(escaped, escaped)
