"""Invoices and payments of a verified order: explain, send a copy, find failed or duplicate charges."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.formatting import add_business_days, day, money
from actions.store.errors import OrderNotFound
from actions.store.repository import StoreRepository
from actions.store.statuses import PaymentProblemKind, RefundStatus
from actions.store.views import InvoiceView, PaymentProblem, RefundView
from actions.escalation import escalate
from actions.verification import VerifiedOrderAction

REFUND_BUSINESS_DAYS = 5


def invoice_lines(invoice: InvoiceView) -> str:
    return "\n".join(
        f"- {line.quantity} × {line.description}: {money(line.line_total, invoice.currency)}" for line in invoice.lines
    )


class ActionExplainInvoice(VerifiedOrderAction):
    def name(self) -> Text:
        return "action_explain_invoice"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        invoice = repository.invoice_for(order_number)
        if invoice is None:
            dispatcher.utter_message(response="utter_no_invoice", order_number=order_number)
            return []
        dispatcher.utter_message(
            response="utter_invoice_summary",
            invoice_number=invoice.number,
            order_number=order_number,
            issued_on=day(invoice.issued_at),
            lines=invoice_lines(invoice),
            subtotal=money(invoice.subtotal, invoice.currency),
            shipping=money(invoice.shipping, invoice.currency),
            tax=money(invoice.tax, invoice.currency),
            total=money(invoice.total, invoice.currency),
        )
        return []


class ActionSendInvoiceCopy(VerifiedOrderAction):
    """Queues a copy of the invoice to the email address on the order in the store, never one from the chat."""

    def name(self) -> Text:
        return "action_send_invoice_copy"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        invoice = repository.invoice_for(order_number)
        if invoice is None:
            dispatcher.utter_message(response="utter_no_invoice", order_number=order_number)
            return []
        try:
            message = repository.queue_invoice_copy(order_number)
        except OrderNotFound:
            dispatcher.utter_message(response="utter_no_invoice", order_number=order_number)
            return []
        dispatcher.utter_message(response="utter_invoice_copy_sent", invoice_number=invoice.number, email=message.recipient)
        return []


def _refund_for(problem: PaymentProblem, refunds: List[RefundView]) -> Optional[RefundView]:
    return next(
        (refund for refund in refunds if refund.amount == problem.amount and refund.status is not RefundStatus.REJECTED),
        None,
    )


class ActionCheckPayment(VerifiedOrderAction):
    """Failed and duplicate charges, and what happens next; with none found the customer may ask for billing."""

    def name(self) -> Text:
        return "action_check_payment"

    async def run_for_order(
        self, order_number: str, dispatcher: CollectingDispatcher, tracker: Tracker, repository: StoreRepository
    ) -> EventList:
        problems = repository.payment_problems(order_number)
        if not problems:
            order = repository.find_order(order_number)
            total = money(order.total, order.currency) if order else ""
            dispatcher.utter_message(response="utter_no_payment_problem", order_number=order_number, total=total)
            return [SlotSet("awaiting", "dispute_offer")]
        refunds = repository.refunds_for(order_number)
        for problem in problems:
            amount = money(problem.amount, problem.currency)
            if problem.kind is PaymentProblemKind.FAILED:
                dispatcher.utter_message(
                    response="utter_payment_failed",
                    order_number=order_number,
                    amount=amount,
                    failed_on=day(problem.occurred_at),
                    detail=problem.detail or "declined",
                )
                continue
            dispatcher.utter_message(
                response="utter_duplicate_charge", order_number=order_number, amount=amount, charged_on=day(problem.occurred_at)
            )
            refund = _refund_for(problem, refunds)
            if refund is not None and refund.paid_at is not None:
                dispatcher.utter_message(
                    response="utter_refund_paid",
                    refund_number=refund.number,
                    amount=amount,
                    order_number=order_number,
                    paid_on=day(refund.paid_at),
                )
            elif refund is not None:
                expected = add_business_days(refund.requested_at.date(), REFUND_BUSINESS_DAYS)
                dispatcher.utter_message(
                    response="utter_duplicate_refund_open",
                    refund_number=refund.number,
                    status=refund.status.value,
                    expected_on=day(expected),
                )
            elif refund is None:
                expected = add_business_days(datetime.now(timezone.utc).date(), REFUND_BUSINESS_DAYS)
                dispatcher.utter_message(response="utter_duplicate_refund_raised", expected_on=day(expected))
        return [SlotSet("awaiting", None)]


class ActionEscalateChargeDispute(Action):
    """A charge the customer still disputes goes to a person from billing."""

    def name(self) -> Text:
        return "action_escalate_charge_dispute"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        dispatcher.utter_message(response="utter_charge_dispute_handoff", order_number=tracker.get_slot("order_number"))
        return escalate("charge_dispute")
