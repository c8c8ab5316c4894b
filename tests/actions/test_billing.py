"""Invoices explained and sent, failed and duplicate charges found, disputes handed to a person."""

from __future__ import annotations

from typing import Any, Dict

from actions.billing import (
    ActionCheckPayment,
    ActionEscalateChargeDispute,
    ActionExplainInvoice,
    ActionSendInvoiceCopy,
)
from actions.formatting import money
from bot.demo.showcase import DUPLICATE_CHARGE, FAILED_PAYMENT, SHIPPED
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.actions.dialogue import make_tracker, rendered, run, verified_for


def tracker_for(domain: Dict[str, Any], showcase: Any):
    return make_tracker(domain, slots=verified_for(showcase.number, showcase.customer_email))


async def test_the_invoice_is_explained_line_by_line(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    invoice = repository.invoice_for(SHIPPED.number)
    outcome = await run(ActionExplainInvoice(context), tracker_for(domain, SHIPPED), domain)
    assert outcome.responses == ["utter_invoice_summary"]
    message = outcome.message("utter_invoice_summary")
    assert message["invoice_number"] == invoice.number
    assert message["total"] == money(invoice.total, invoice.currency)
    assert message["lines"].count("\n") == len(invoice.lines) - 1
    for line in invoice.lines:
        assert line.description in message["lines"]
    assert "VAT" in rendered(message, domain)


async def test_an_invoice_copy_goes_to_the_email_on_the_order(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionSendInvoiceCopy(context), tracker_for(domain, SHIPPED), domain)
    assert outcome.responses == ["utter_invoice_copy_sent"]
    sent = repository.outbox(recipient=SHIPPED.customer_email)
    assert len(sent) == 1
    assert repository.invoice_for(SHIPPED.number).number in sent[0].subject + sent[0].body


async def test_an_invoice_copy_never_goes_to_an_address_from_the_conversation(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    slots = {**verified_for(SHIPPED.number, SHIPPED.customer_email), "email": "attacker@example.com"}
    outcome = await run(ActionSendInvoiceCopy(context), make_tracker(domain, slots=slots), domain)
    assert outcome.message("utter_invoice_copy_sent")["email"] == SHIPPED.customer_email
    assert repository.outbox(recipient="attacker@example.com") == []
    assert len(repository.outbox(recipient=SHIPPED.customer_email)) == 1


async def test_a_duplicate_charge_says_when_the_money_comes_back(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionCheckPayment(context), tracker_for(domain, DUPLICATE_CHARGE), domain)
    assert outcome.responses[0] == "utter_duplicate_charge"
    assert outcome.responses == ["utter_duplicate_charge", "utter_duplicate_refund_open"]
    assert outcome.messages[1]["refund_number"].startswith("RF-")
    assert outcome.slots() == {"awaiting": None}


async def test_a_failed_payment_says_what_to_do(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionCheckPayment(context), tracker_for(domain, FAILED_PAYMENT), domain)
    assert outcome.responses == ["utter_payment_failed"]
    assert outcome.messages[0]["amount"].startswith("€")


async def test_without_a_problem_billing_is_offered(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionCheckPayment(context), tracker_for(domain, SHIPPED), domain)
    assert outcome.responses == ["utter_no_payment_problem"]
    assert outcome.slots() == {"awaiting": "dispute_offer"}


async def test_a_disputed_charge_goes_to_a_person(store_url: str, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionEscalateChargeDispute(), tracker_for(domain, SHIPPED), domain)
    assert outcome.responses == ["utter_charge_dispute_handoff"]
    assert outcome.slots() == {"handoff_reason": "charge_dispute"}
    assert outcome.followup() == "action_handoff"
