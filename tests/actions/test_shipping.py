"""Changing the delivery address: only before shipping, only a plausible address, only after confirmation."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from actions import consent
from actions.shipping import (
    ActionAskAddressConfirmation,
    ActionChangeShippingAddress,
    ActionKeepShippingAddress,
    ValidateShippingAddressForm,
)
from bot.demo.showcase import PROCESSING, SHIPPED
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.actions.dialogue import Outcome, form_tracker, make_tracker, replying, run, user_message, verified_for

FORM = "shipping_address_form"
NEW_ADDRESS = "Rosenweg 12, 10115 Berlin"


async def test_a_shipped_order_ends_the_form_before_asking(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = form_tracker(domain, FORM, {}, slots=verified_for(SHIPPED.number, SHIPPED.customer_email))
    outcome = await run(ValidateShippingAddressForm(context), tracker, domain)
    assert outcome.slots() == {"requested_slot": None}

    explained = await run(
        ActionAskAddressConfirmation(context),
        make_tracker(domain, slots=verified_for(SHIPPED.number, SHIPPED.customer_email)),
        domain,
    )
    assert explained.responses == ["utter_address_change_not_allowed"]
    assert explained.slots()["awaiting"] is None


async def test_an_unshipped_order_asks_for_the_address(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = form_tracker(domain, FORM, {}, slots=verified_for(PROCESSING.number, PROCESSING.customer_email))
    outcome = await run(ValidateShippingAddressForm(context), tracker, domain)
    assert "requested_slot" not in outcome.slots()  # Rasa asks for new_address
    assert outcome.messages == []


@pytest.mark.parametrize(
    "typed",
    ["", "Berlin", "x" * 300, "Main street without number", "12345 67890", "Rosenweg 12\x00, Berlin 10115"],
)
async def test_implausible_addresses_are_asked_again(context: StoreContext, domain: Dict[str, Any], typed: str) -> None:
    tracker = form_tracker(
        domain,
        FORM,
        {"new_address": typed},
        slots=verified_for(PROCESSING.number, PROCESSING.customer_email),
        requested_slot="new_address",
    )
    outcome = await run(ValidateShippingAddressForm(context), tracker, domain)
    assert outcome.slots()["new_address"] is None
    assert outcome.responses == ["utter_invalid_address"]
    assert outcome.messages[0]["reason"]


async def test_the_address_is_changed_after_confirmation(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    slots = {**verified_for(PROCESSING.number, PROCESSING.customer_email), "new_address": "Rosenweg 12\n10115  Berlin"}
    tracker = form_tracker(
        domain, FORM, {"new_address": slots["new_address"]}, slots=slots, requested_slot="new_address"
    )
    validated = await run(ValidateShippingAddressForm(context), tracker, domain)
    cleaned = validated.slots()["new_address"]
    assert cleaned == "Rosenweg 12, 10115 Berlin"

    slots["new_address"] = cleaned
    asked = await run(ActionAskAddressConfirmation(context), make_tracker(domain, slots=slots), domain)
    assert asked.responses == ["utter_confirm_new_address"]
    assert asked.slots() == {"awaiting": "address_confirmation", "confirming_order": PROCESSING.number}
    assert repository.find_order(PROCESSING.number).shipping_address != cleaned

    unasked = await run(ActionChangeShippingAddress(context), make_tracker(domain, slots=slots), domain)
    assert unasked.responses == ["utter_change_not_confirmed", "utter_confirm_new_address"]
    assert repository.find_order(PROCESSING.number).shipping_address != cleaned

    yes = replying(domain, asked, slots, user_message("ja, bitte", "affirm"))
    changed = await run(ActionChangeShippingAddress(context), yes, domain)
    assert changed.responses == ["utter_address_changed"]
    assert changed.slots() == {"new_address": None, "awaiting": None, "confirming_order": None}
    assert repository.find_order(PROCESSING.number).shipping_address == cleaned


async def test_declining_keeps_the_address(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    before = repository.find_order(PROCESSING.number).shipping_address
    slots = {**verified_for(PROCESSING.number, PROCESSING.customer_email), "new_address": NEW_ADDRESS}
    kept = await run(ActionKeepShippingAddress(context), make_tracker(domain, slots=slots), domain)
    assert kept.responses == ["utter_address_unchanged"]
    assert kept.slots() == {"new_address": None, "awaiting": None, "confirming_order": None}
    assert repository.find_order(PROCESSING.number).shipping_address == before


async def test_a_shipped_order_keeps_its_address_even_when_forced(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    before = repository.find_order(SHIPPED.number).shipping_address
    slots = {**verified_for(SHIPPED.number, SHIPPED.customer_email), "new_address": NEW_ADDRESS}
    outcome = await run(ActionChangeShippingAddress(context), make_tracker(domain, slots=slots), domain)
    assert outcome.responses == ["utter_change_not_confirmed", "utter_address_change_not_allowed"]
    # and a yes to a question asked before it shipped is refused by the store
    question = Outcome(events=consent.asked(consent.ADDRESS.question, SHIPPED.number), messages=[])
    yes = replying(domain, question, slots, user_message("yes", "affirm"))
    confirmed = await run(ActionChangeShippingAddress(context), yes, domain)
    assert confirmed.responses == ["utter_address_change_not_allowed"]
    assert repository.find_order(SHIPPED.number).shipping_address == before
