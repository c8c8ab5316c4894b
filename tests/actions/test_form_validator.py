"""The form validators, sent no domain, answer each typical form turn as rasa-sdk's validators do with all of it."""

from __future__ import annotations

import shutil
import types
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction

from actions.complaints import ValidateComplaintForm
from actions.form_validator import FormValidator
from bot.action_server.executor import ContextActionExecutor
from bot.demo.showcase import PROCESSING, SHIPPED
from bot.shared.domain_forms import DomainForms, UnknownForm
from bot.store.context import StoreContext
from tests.actions.dialogue import context_for, form_tracker, user_message, verified_for


@dataclass(frozen=True)
class Turn:
    """A customer's answer while the form asks for `requested_slot`: the slots the message filled."""

    requested_slot: str
    candidates: Dict[str, Any]
    slots: Dict[str, Any] = field(default_factory=dict)

    def message(self) -> Dict[str, Any]:
        return user_message(str(next(iter(self.candidates.values()))), "inform")


VERIFIED_PROCESSING = verified_for(PROCESSING.number, PROCESSING.customer_email)
ASKED_FOR_EMAIL = {"order_number": PROCESSING.number, "verified": False}
# Each validator's turns, valid and invalid values, run in this order against one store.
TYPICAL_TURNS: Dict[str, List[Turn]] = {
    "validate_order_verification_form": [
        Turn("order_number", {"order_number": "my order"}),
        Turn("order_number", {"order_number": PROCESSING.number.lower()}),
        Turn("email", {"email": "not an address"}, ASKED_FOR_EMAIL),
        Turn("email", {"email": "someone.else@example.com"}, ASKED_FOR_EMAIL),
        Turn("email", {"email": PROCESSING.customer_email}, ASKED_FOR_EMAIL),
        Turn("email", {"email": "someone.else@example.com"}, {**ASKED_FOR_EMAIL, "verification_attempts": 3}),
    ],
    "validate_shipping_address_form": [
        Turn("new_address", {"new_address": "Rosenweg 12\n10115  Berlin"}, VERIFIED_PROCESSING),
        Turn("new_address", {"new_address": "x"}, VERIFIED_PROCESSING),
        Turn(
            "new_address",
            {"new_address": "Rosenweg 12, 10115 Berlin"},
            verified_for(SHIPPED.number, SHIPPED.customer_email),
        ),
        Turn("new_address", {"new_address": "Rosenweg 12, 10115 Berlin"}),
    ],
    "validate_complaint_form": [
        Turn("complaint_text", {"complaint_text": "The parcel arrived crushed and the lamp inside is broken"}),
        Turn("complaint_text", {"complaint_text": "I want to complain"}),
        Turn("complaint_text", {"complaint_text": "word " * 2000}),
    ],
    "validate_handoff_message_form": [
        Turn("handoff_email", {"handoff_email": "ana@example.com"}),
        Turn("handoff_email", {"handoff_email": "ana at example"}),
        Turn(
            "handoff_message",
            {"handoff_message": "Please call me about order delivery"},
            {"handoff_email": "ana@example.com"},
        ),
        Turn("handoff_message", {"handoff_message": "   "}, {"handoff_email": "ana@example.com"}),
    ],
}


def as_rasa_sdk_validates(validator: FormValidator) -> FormValidator:
    """The validator reading its form's slots from the domain of the call, as rasa-sdk's own do."""
    # on the instance: a subclass would be found and registered by every executor created after it
    validator.domain_slots = types.MethodType(FormValidationAction.domain_slots, validator)  # type: ignore[method-assign]
    return validator


def _served_validators(context: StoreContext) -> Dict[str, FormValidator]:
    # every validator the action server offers, whatever class it is
    executor = ContextActionExecutor(context)
    executor.register_package("actions")
    return {
        name: run.__self__
        for name, run in executor.actions.items()
        if isinstance(getattr(run, "__self__", None), ValidationAction)
    }


@pytest.fixture
def two_stores(demo_store_template: Path, tmp_path: Path) -> Iterator[Tuple[StoreContext, StoreContext]]:
    """Two copies of the demo store: each way of running the validators changes its own."""
    contexts = []
    for name in ("without_domain", "with_domain"):
        copy = tmp_path / f"{name}.db"
        shutil.copyfile(demo_store_template, copy)
        contexts.append(context_for(f"sqlite:///{copy}"))
    yield contexts[0], contexts[1]
    for context in contexts:
        context.threads.close()
        context.store.engine.dispose()


async def _answer(
    validator: FormValidationAction, turn: Turn, domain: Dict[str, Any], sent: Dict[str, Any]
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    form = validator.form_name()
    tracker = form_tracker(
        domain, form, turn.candidates, slots=turn.slots, message=turn.message(), requested_slot=turn.requested_slot
    )
    dispatcher = CollectingDispatcher()
    events = await validator.run(dispatcher, tracker, sent)
    return list(events), dispatcher.messages


@pytest.mark.parametrize("name", sorted(TYPICAL_TURNS))
async def test_a_validator_sent_no_domain_answers_as_with_the_whole_domain(
    name: str, two_stores: Tuple[StoreContext, StoreContext], domain: Dict[str, Any]
) -> None:
    without_domain = _served_validators(two_stores[0])[name]
    with_domain = as_rasa_sdk_validates(_served_validators(two_stores[1])[name])
    for turn in TYPICAL_TURNS[name]:
        expected = await _answer(with_domain, turn, domain, domain)
        assert await _answer(without_domain, turn, domain, {}) == expected, turn


def test_every_form_validator_the_server_offers_has_typical_turns(context: StoreContext) -> None:
    validators = _served_validators(context)
    assert validators, "the action server offers no form validator"
    assert set(validators) == set(TYPICAL_TURNS)
    assert all(isinstance(validator, FormValidator) for validator in validators.values())


def test_a_form_the_domain_lacks_is_an_error_not_an_empty_form(context: StoreContext) -> None:
    validator = ValidateComplaintForm(replace(context, forms=DomainForms()))
    with pytest.raises(UnknownForm):
        validator.domain_slots({})
