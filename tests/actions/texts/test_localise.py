"""What actions write into responses follows the `language` slot: catalog texts, statuses and dates."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from actions.handoff import escalation_body
from actions.orders import ActionShowOrderStatus
from actions.texts.catalog import CATALOG
from actions.texts.localise import localise, localise_messages
from bot.demo.showcase import SHIPPED
from bot.shared.languages import SUPPORTED_LANGUAGES
from bot.store.addresses import clean_address
from bot.store.context import StoreContext
from bot.store.errors import InvalidAddress
from bot.store.refusal_reasons import NO_ADDRESS_CHANGE, NOT_AN_ORDER_NUMBER, NOT_CANCELLABLE, NOT_RETURNABLE
from bot.store.statuses import OrderStatus, RefundStatus, ShipmentStatus
from tests.actions.dialogue import make_tracker, run, verified_for

OTHER_LANGUAGES = [language for language in SUPPORTED_LANGUAGES if language != "en"]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_refusal_the_store_can_give_is_translated(language: str) -> None:
    reasons = {*NOT_CANCELLABLE.values(), *NO_ADDRESS_CHANGE.values(), *NOT_RETURNABLE.values(), NOT_AN_ORDER_NUMBER}
    assert {reason for reason in reasons if language not in CATALOG.get(reason, {})} == set()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_status_word_is_translated(language: str) -> None:
    statuses = [
        status.value.replace("_", " ") for kind in (OrderStatus, ShipmentStatus, RefundStatus) for status in kind
    ]
    assert [status for status in statuses if localise(status, language) == status] == []


@pytest.mark.parametrize(
    "address", ["x", "Main Street in Leeds", "12 34 56 78 90", "a" * 300, "12 Main\x00 Street, Leeds"]
)
def test_address_problems_are_translated(address: str) -> None:
    with pytest.raises(InvalidAddress) as problem:
        clean_address(address)
    assert all(localise(problem.value.reason, language) != problem.value.reason for language in OTHER_LANGUAGES)


def test_dates_waits_and_opening_times_are_written_in_the_language() -> None:
    messages: list[Dict[str, Any]] = [
        {"response": "utter_handoff_queued", "expected_wait": "about 12 minutes", "queue_position": 2},
        {"response": "utter_handoff_closed", "reply_by": "after we open on Monday at 09:00 GMT"},
        {"response": "utter_refund_status", "requested_on": "2 November 2026", "status": "requested"},
    ]
    localise_messages(messages, "de")
    assert messages[0]["expected_wait"] == "etwa 12 Minuten"
    assert messages[0]["queue_position"] == 2
    assert messages[1]["reply_by"] == "nachdem wir am Montag um 09:00 GMT öffnen"
    assert messages[2]["requested_on"] == "2. November 2026"
    assert messages[2]["status"] == "beantragt"
    assert messages[2]["response"] == "utter_refund_status"


def test_english_and_unknown_languages_are_left_alone() -> None:
    messages: list[Dict[str, Any]] = [{"response": "utter_refund_status", "requested_on": "2 November 2026"}]
    localise_messages(messages, "en")
    assert messages[0]["requested_on"] == "2 November 2026"


async def test_an_action_answers_a_spanish_customer_with_spanish_values(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    slots = {**verified_for(SHIPPED.number, SHIPPED.customer_email), "language": "es"}
    outcome = await run(ActionShowOrderStatus(context), make_tracker(domain, slots=slots), domain)
    message = outcome.message("utter_order_status_shipped")
    assert message["shipment_status"] in {"en tránsito", "en reparto", "con etiqueta creada"}
    assert any(
        month in message["eta"]
        for month in (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        )
    )
    assert " de " in message["eta"]


async def test_a_tracker_in_an_unsupported_language_gets_english_values(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    slots = {**verified_for(SHIPPED.number, SHIPPED.customer_email), "language": "it"}
    outcome = await run(ActionShowOrderStatus(context), make_tracker(domain, slots=slots), domain)
    message = outcome.message("utter_order_status_shipped")
    assert message["shipment_status"] in {"in transit", "out for delivery", "label created"}


@pytest.mark.parametrize(("slot", "sent"), [("fr", "fr"), ("it", "it"), (None, "en"), ("<script>", "en")])
def test_the_handoff_request_carries_the_customers_language(domain: Dict[str, Any], slot: Any, sent: str) -> None:
    tracker = make_tracker(domain, slots={"language": slot})
    assert escalation_body(tracker)["language"] == sent


def test_refusals_with_numbers_in_them_are_translated_whole() -> None:
    assert localise("A return (RMA-000145) is already open for this order.", "fr") == (
        "Un retour (RMA-000145) est déjà ouvert pour cette commande."
    )
    outside = "The order was delivered on 05 October 2026, more than 30 days ago, so it is outside the return window."
    assert localise(outside, "es") == (
        "El pedido se entregó el 05 de octubre de 2026, hace más de 30 días, así que está fuera del plazo de devolución."
    )
