"""What counts as a payment problem: failed attempts, and charges beyond the first that were not refunded."""

from __future__ import annotations

from typing import Any, Iterable, List

from bot.store.money import from_cents
from bot.store.records import PaymentProblem
from bot.store.statuses import PaymentProblemKind, PaymentStatus


def payment_problems_in(payments: Iterable[Any]) -> List[PaymentProblem]:
    """`payments` are the rows of one invoice, oldest first, each with a `currency`.

    A refunded charge still counts as a charge: when the first payment was refunded for a return,
    a second one still captured is a duplicate all the same.
    """
    problems: List[PaymentProblem] = []
    charges = 0
    for payment in payments:
        status = PaymentStatus(payment.status)
        if status is PaymentStatus.FAILED:
            problems.append(_problem(PaymentProblemKind.FAILED, payment))
            continue
        charges += 1
        if charges > 1 and status is PaymentStatus.CAPTURED:
            problems.append(_problem(PaymentProblemKind.DUPLICATE, payment))
    return problems


def _problem(kind: PaymentProblemKind, payment: Any) -> PaymentProblem:
    return PaymentProblem(
        kind=kind,
        amount=from_cents(payment.amount_cents),
        currency=payment.currency,
        occurred_at=payment.created_at,
        detail=payment.failure_reason,
    )
