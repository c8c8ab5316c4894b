"""Invoices and payments of a verified order: explain, send a copy, find failed or duplicate charges."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import List, Optional, Text

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.escalation_events import escalate
from actions.formatting import add_business_days, day, money
from actions.refunds import say_refund_paid
from actions.verified_order import OrderTurn, VerifiedOrderAction
from bot.store.records import InvoiceView, PaymentProblem, RefundView
from bot.store.statuses import PaymentProblemKind, RefundStatus

REFUND_BUSINESS_DAYS = 5


def invoice_lines(invoice: InvoiceView) -> str:
    return "\n".join(
        f"- {line.quantity} × {line.description}: {money(line.line_total, invoice.currency)}" for line in invoice.lines
    )


class InvoiceAction(VerifiedOrderAction, ABC):
    """A verified-order action about the order's invoice; an order without one (or none at all) has no invoice."""

    not_found_response = "utter_no_invoice"

    def answer(self, turn: OrderTurn) -> EventList:
        invoice = turn.store.invoice_for(turn.order_number)
        if invoice is None:
            return self.not_found(turn)
        return self.answer_invoice(turn, invoice)

    @abstractmethod
    def answer_invoice(self, turn: OrderTurn, invoice: InvoiceView) -> EventList:
        """Answer about the order's invoice."""


class ActionExplainInvoice(InvoiceAction):
    def name(self) -> Text:
        return "action_explain_invoice"

    def answer_invoice(self, turn: OrderTurn, invoice: InvoiceView) -> EventList:
        turn.say(
            "utter_invoice_summary",
            invoice_number=invoice.number,
            order_number=turn.order_number,
            issued_on=day(invoice.issued_at),
            lines=invoice_lines(invoice),
            subtotal=money(invoice.subtotal, invoice.currency),
            shipping=money(invoice.shipping, invoice.currency),
            tax=money(invoice.tax, invoice.currency),
            total=money(invoice.total, invoice.currency),
        )
        return []


class ActionSendInvoiceCopy(InvoiceAction):
    """Queues a copy of the invoice to the email address on the order in the store, never one from the chat."""

    def name(self) -> Text:
        return "action_send_invoice_copy"

    def answer_invoice(self, turn: OrderTurn, invoice: InvoiceView) -> EventList:
        message = turn.store.queue_invoice_copy(turn.order_number)
        turn.say("utter_invoice_copy_sent", invoice_number=invoice.number, email=message.recipient)
        return []


def _refund_for(problem: PaymentProblem, refunds: List[RefundView]) -> Optional[RefundView]:
    return next(
        (
            refund
            for refund in refunds
            if refund.amount == problem.amount and refund.status is not RefundStatus.REJECTED
        ),
        None,
    )


def _say_duplicate_charge(turn: OrderTurn, problem: PaymentProblem, refunds: List[RefundView]) -> None:
    turn.say(
        "utter_duplicate_charge",
        order_number=turn.order_number,
        amount=money(problem.amount, problem.currency),
        charged_on=day(problem.occurred_at),
    )
    refund = _refund_for(problem, refunds)
    if refund is None:
        expected = add_business_days(turn.clock().date(), REFUND_BUSINESS_DAYS)
        turn.say("utter_duplicate_refund_raised", expected_on=day(expected))
    elif refund.paid_at is not None:
        say_refund_paid(turn, refund, refund.paid_at)
    else:
        expected = add_business_days(refund.requested_at.date(), REFUND_BUSINESS_DAYS)
        turn.say(
            "utter_duplicate_refund_open",
            refund_number=refund.number,
            status=refund.status.value,
            expected_on=day(expected),
        )


class ActionCheckPayment(VerifiedOrderAction):
    """Failed and duplicate charges, and what happens next; with none found the customer may ask for billing."""

    def name(self) -> Text:
        return "action_check_payment"

    def answer(self, turn: OrderTurn) -> EventList:
        problems = turn.store.payment_problems(turn.order_number)
        if not problems:
            order = turn.store.find_order(turn.order_number)
            total = money(order.total, order.currency) if order else ""
            turn.say("utter_no_payment_problem", order_number=turn.order_number, total=total)
            return [SlotSet("awaiting", "dispute_offer")]
        refunds = turn.store.refunds_for(turn.order_number)
        for problem in problems:
            if problem.kind is PaymentProblemKind.FAILED:
                turn.say(
                    "utter_payment_failed",
                    order_number=turn.order_number,
                    amount=money(problem.amount, problem.currency),
                    failed_on=day(problem.occurred_at),
                    detail=problem.detail or "declined",
                )
            else:
                _say_duplicate_charge(turn, problem, refunds)
        return [SlotSet("awaiting", None)]


class ActionEscalateChargeDispute(Action):
    """A charge the customer still disputes goes to a person from billing."""

    def name(self) -> Text:
        return "action_escalate_charge_dispute"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        dispatcher.utter_message(response="utter_charge_dispute_handoff", order_number=tracker.get_slot("order_number"))
        return escalate("charge_dispute")
