"""Web chat session proofs: a proof opens the session it was issued for, under the secret it was made with, only."""

from __future__ import annotations

import pytest

from bot.shared.webchat.session_proof import (
    MIN_SECRET_LENGTH,
    PROOF_PATTERN,
    SessionSecretMissing,
    is_valid_session_id,
    new_session,
    proof_for,
    proof_matches,
)

SECRET = "webchat-session-secret-for-tests"
OTHER_SECRET = "another-webchat-session-secret!!"
SESSION_ID = "3f2a9c1e5b7d4a60"


def test_a_proof_verifies_for_its_own_session() -> None:
    assert proof_matches(SESSION_ID, proof_for(SESSION_ID, SECRET), SECRET)


def test_a_proof_does_not_open_another_session() -> None:
    proof = proof_for(SESSION_ID, SECRET)
    for other in ["3f2a9c1e5b7d4a61", "3F2A9C1E5B7D4A60", SESSION_ID[:-1], SESSION_ID + "0"]:
        assert not proof_matches(other, proof, SECRET)
        assert proof_for(other, SECRET) != proof


def test_proofs_differ_per_secret_and_do_not_cross() -> None:
    ours, theirs = proof_for(SESSION_ID, SECRET), proof_for(SESSION_ID, OTHER_SECRET)
    assert ours != theirs
    assert not proof_matches(SESSION_ID, theirs, SECRET)
    assert not proof_matches(SESSION_ID, ours, OTHER_SECRET)


def test_a_proof_is_the_same_each_time_and_has_the_documented_shape() -> None:
    proof = proof_for(SESSION_ID, SECRET)
    assert proof == proof_for(SESSION_ID, SECRET)
    assert PROOF_PATTERN.fullmatch(proof) and len(proof) == 43


def test_new_sessions_are_valid_distinct_and_proven() -> None:
    (first, first_proof), (second, second_proof) = new_session(SECRET), new_session(SECRET)
    assert first != second and first_proof != second_proof
    assert is_valid_session_id(first) and is_valid_session_id(second)
    assert proof_matches(first, first_proof, SECRET)
    assert not proof_matches(second, first_proof, SECRET)


@pytest.mark.parametrize(
    "session_id",
    [
        "short",
        "a" * 7,
        "a" * 65,
        "has space in it",
        "slash/in/the/id",
        "../../etc/passwd",
        "dots.are.not.ok",
        "jürgen-session",
        "",
        None,
        12345678,
        b"3f2a9c1e5b7d4a60",
        ["3f2a9c1e5b7d4a60"],
    ],
)
def test_malformed_session_ids_are_refused(session_id: object) -> None:
    assert not is_valid_session_id(session_id)
    # Refused before any proof is computed, so a malformed id cannot even reach the HMAC.
    assert proof_matches(session_id, proof_for(SESSION_ID, SECRET), SECRET) is False


@pytest.mark.parametrize("session_id", [SESSION_ID + "\n", "\n" + SESSION_ID, SESSION_ID + "\r\n"])
def test_a_session_id_with_a_line_break_is_refused(session_id: str) -> None:
    assert not is_valid_session_id(session_id)


def test_the_bounds_of_a_session_id_are_accepted() -> None:
    assert is_valid_session_id("a" * 8) and is_valid_session_id("Z" * 64) and is_valid_session_id("a-b_c-D9")


@pytest.mark.parametrize(
    "proof",
    [
        lambda good: good[:-1],
        lambda good: good + "A",
        lambda good: good + "=",
        lambda good: good + "\n",
        lambda good: good.replace(good[0], "+" if good[0] != "+" else "/", 1),
        lambda good: "",
        lambda good: None,
        lambda good: good.encode("ascii"),
        lambda good: 42,
        lambda good: "A" * 43,
    ],
)
def test_malformed_or_wrong_proofs_are_refused(proof) -> None:  # type: ignore[no-untyped-def]
    good = proof_for(SESSION_ID, SECRET)
    assert proof_matches(SESSION_ID, proof(good), SECRET) is False


@pytest.mark.parametrize("secret", [None, "", "x" * (MIN_SECRET_LENGTH - 1)])
def test_a_missing_or_short_secret_raises(secret: object) -> None:
    with pytest.raises(SessionSecretMissing):
        proof_for(SESSION_ID, secret)  # type: ignore[arg-type]
    with pytest.raises(SessionSecretMissing):
        new_session(secret)  # type: ignore[arg-type]
    with pytest.raises(SessionSecretMissing):
        proof_matches(SESSION_ID, "A" * 43, secret)  # type: ignore[arg-type]


def test_a_secret_of_the_minimum_length_works() -> None:
    secret = "x" * MIN_SECRET_LENGTH
    assert proof_matches(SESSION_ID, proof_for(SESSION_ID, secret), secret)


def test_the_missing_secret_error_is_a_value_error_that_names_the_variable() -> None:
    with pytest.raises(ValueError, match="WEBCHAT_SESSION_SECRET"):
        proof_for(SESSION_ID, None)
