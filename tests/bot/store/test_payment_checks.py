"""Which payments count as problems."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import List, Optional

from bot.store.payment_checks import payment_problems_in
from bot.store.statuses import PaymentProblemKind, PaymentStatus

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def _payments(*statuses: PaymentStatus) -> List[SimpleNamespace]:
    return [
        SimpleNamespace(
            status=status,
            amount_cents=10_000,
            currency="EUR",
            created_at=START + timedelta(minutes=index),
            failure_reason="insufficient funds" if status is PaymentStatus.FAILED else None,
        )
        for index, status in enumerate(statuses)
    ]


def _kinds(*statuses: PaymentStatus) -> List[Optional[PaymentProblemKind]]:
    return [problem.kind for problem in payment_problems_in(_payments(*statuses))]


def test_one_charge_is_no_problem() -> None:
    assert _kinds(PaymentStatus.CAPTURED) == []
    assert _kinds() == []


def test_failures_are_reported_with_amount_and_reason() -> None:
    problems = payment_problems_in(_payments(PaymentStatus.FAILED, PaymentStatus.CAPTURED))
    assert [problem.kind for problem in problems] == [PaymentProblemKind.FAILED]
    assert problems[0].amount == Decimal("100.00") and problems[0].detail == "insufficient funds"
    assert problems[0].occurred_at == START


def test_a_second_capture_is_a_duplicate_until_refunded() -> None:
    assert _kinds(PaymentStatus.CAPTURED, PaymentStatus.CAPTURED) == [PaymentProblemKind.DUPLICATE]
    assert _kinds(PaymentStatus.CAPTURED, PaymentStatus.REFUNDED) == []


def test_a_refunded_first_charge_still_makes_the_second_a_duplicate() -> None:
    assert _kinds(PaymentStatus.REFUNDED, PaymentStatus.CAPTURED) == [PaymentProblemKind.DUPLICATE]
