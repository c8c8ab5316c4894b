"""Contract of the failed-verification count per order number and its lock-out, on every backend."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import List

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.service.handoff.customer_context import verification_standing
from bot.shared.database import create_store_engine
from bot.store.errors import StoreUnavailable
from bot.store.tables import verification_failures
from bot.store.verification_attempts import (
    FAILURE_WINDOW,
    LOCKOUT,
    MAX_FAILURES,
    RETENTION,
    LockoutPolicy,
    VerificationAttempts,
)
from tests.bot.conftest import NOW


class SteppingClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def attempts(store_engine: Engine, clock: SteppingClock) -> VerificationAttempts:
    return VerificationAttempts(store_engine, clock=clock)


def _fail(
    attempts: VerificationAttempts, clock: SteppingClock, times: int, step: timedelta, number: str = "ORD-100001"
) -> List[bool]:
    locked = []
    for attempt in range(times):
        locked.append(attempts.record_failure(number, f"conversation-{attempt}"))
        clock.advance(step)
    return locked


def test_five_failures_within_the_window_lock_the_order_number(
    attempts: VerificationAttempts, clock: SteppingClock
) -> None:
    assert _fail(attempts, clock, MAX_FAILURES, timedelta(minutes=3)) == [False] * (MAX_FAILURES - 1) + [True]
    assert attempts.is_locked("ORD-100001")
    # The same number however it is typed; other orders are not affected.
    assert attempts.is_locked("ord100001") and attempts.is_locked("#100001")
    assert not attempts.is_locked("ORD-100002")


def test_the_lock_lasts_the_lockout_after_the_last_failure(
    attempts: VerificationAttempts, clock: SteppingClock
) -> None:
    _fail(attempts, clock, MAX_FAILURES, timedelta(minutes=1))
    last_failure = clock.now - timedelta(minutes=1)
    standing = attempts.standing("ORD-100001")
    assert standing is not None and standing.locked
    assert standing.locked_until == last_failure + LOCKOUT
    clock.now = last_failure + LOCKOUT - timedelta(seconds=1)
    assert attempts.is_locked("ORD-100001")
    clock.now = last_failure + LOCKOUT
    assert not attempts.is_locked("ORD-100001")


def test_failures_spread_wider_than_the_window_do_not_lock(
    attempts: VerificationAttempts, clock: SteppingClock
) -> None:
    step = FAILURE_WINDOW / (MAX_FAILURES - 1) + timedelta(seconds=1)
    assert _fail(attempts, clock, MAX_FAILURES, step) == [False] * MAX_FAILURES
    assert not attempts.is_locked("ORD-100001")
    standing = attempts.standing("ORD-100001")
    assert standing is not None and standing.failed_attempts == MAX_FAILURES and not standing.locked


def test_unknown_order_numbers_are_counted_and_locked_alike(
    attempts: VerificationAttempts, clock: SteppingClock, store_engine: Engine
) -> None:
    assert _fail(attempts, clock, MAX_FAILURES, timedelta(seconds=10), "ORD-999999")[-1] is True
    assert attempts.is_locked("ORD-999999")
    with store_engine.connect() as connection:
        rows = connection.execute(select(verification_failures)).all()
    assert {row.order_number for row in rows} == {"ORD-999999"}
    assert {row.conversation_id for row in rows} == {f"conversation-{n}" for n in range(MAX_FAILURES)}


def test_the_standing_counts_the_report_period(attempts: VerificationAttempts, clock: SteppingClock) -> None:
    attempts.record_failure("ORD-100001", "yesterday")
    clock.advance(timedelta(hours=25))
    attempts.record_failure("ORD-100001", "today")
    standing = attempts.standing("ORD-100001")
    assert standing is not None
    assert (standing.order_number, standing.failed_attempts) == ("ORD-100001", 1)
    assert standing.counted_since == clock.now - timedelta(hours=24)
    assert attempts.standing("ORD-100002").failed_attempts == 0


def test_rows_older_than_the_retention_are_deleted(
    attempts: VerificationAttempts, clock: SteppingClock, store_engine: Engine
) -> None:
    attempts.record_failure("ORD-100001", "long ago")
    clock.advance(RETENTION + timedelta(minutes=1))
    attempts.record_failure("ORD-100002", "now")
    with store_engine.connect() as connection:
        kept = connection.execute(select(verification_failures.c.conversation_id)).scalars().all()
    assert kept == ["now"]


@pytest.mark.parametrize("text", [None, "", "bogus", "ORD-12", "'; DROP TABLE verification_failures; --"])
def test_text_that_is_not_an_order_number_records_nothing(
    attempts: VerificationAttempts, store_engine: Engine, text: str
) -> None:
    assert attempts.record_failure(text, "conversation") is False
    assert attempts.standing(text) is None
    assert attempts.is_locked(text) is False
    with store_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(verification_failures)).scalar_one() == 0


def test_a_long_conversation_id_is_cut_to_the_column(attempts: VerificationAttempts, store_engine: Engine) -> None:
    attempts.record_failure("ORD-100001", "c" * 500)
    with store_engine.connect() as connection:
        stored = connection.execute(select(verification_failures.c.conversation_id)).scalar_one()
    assert stored == "c" * 128


def test_a_store_without_the_table_is_unavailable(tmp_path: Path) -> None:
    attempts = VerificationAttempts(create_store_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(StoreUnavailable):
        attempts.record_failure("ORD-100001", "conversation")
    with pytest.raises(StoreUnavailable):
        attempts.is_locked("ORD-100001")


def test_the_policy_finds_the_latest_lockout() -> None:
    policy = LockoutPolicy(max_failures=3, window=timedelta(minutes=10), lockout=timedelta(minutes=5))
    times = [NOW, NOW + timedelta(minutes=4), NOW + timedelta(minutes=10), NOW + timedelta(minutes=11)]
    # 0, 4 and 10 minutes are within 10 minutes: locked from minute 10 until 15; 4, 10, 11 until 16.
    assert policy.locked_until(times, NOW + timedelta(minutes=12)) == NOW + timedelta(minutes=16)
    assert policy.locked_until(times, NOW + timedelta(minutes=16)) is None
    assert policy.locked_until(times[:2], NOW + timedelta(minutes=5)) is None
    assert policy.locked_until([], NOW) is None


def test_the_agent_context_card_shows_failures_and_the_lock(
    attempts: VerificationAttempts, clock: SteppingClock, store_engine: Engine
) -> None:
    assert verification_standing(store_engine, "ORD-100001", clock=clock) == {
        "order_number": "ORD-100001",
        "failed_attempts": 0,
        "counted_since": (NOW - timedelta(hours=24)).isoformat(),
        "locked": False,
        "locked_until": None,
    }
    _fail(attempts, clock, MAX_FAILURES, timedelta(minutes=1))
    card = verification_standing(store_engine, "100001", clock=clock)
    assert card is not None
    assert (card["failed_attempts"], card["locked"]) == (MAX_FAILURES, True)
    assert card["locked_until"] == (NOW + timedelta(minutes=MAX_FAILURES - 1) + LOCKOUT).isoformat()


def test_the_context_card_leaves_the_attempts_out_when_it_cannot_say(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert verification_standing(engine, None) is None
    assert verification_standing(engine, "not an order") is None
    assert verification_standing(engine, "ORD-100001") is None  # no table: the agent still gets the chat
