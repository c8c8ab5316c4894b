"""Importing the actions opens nothing; any failure reaches the customer as a technical problem."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine

import actions
from actions.common import ANSWERED_SLOT, fail_safe
from actions.orders import ActionAskCancelConfirmation, ActionShowOrderStatus
from actions.products import ActionAnswerProduct
from bot.demo.showcase import PROCESSING, SHIPPED
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.actions.dialogue import context_for, entity, make_tracker, run, user_message, verified_for


@pytest.fixture
def context_at() -> Iterator[Callable[[str], StoreContext]]:
    """Contexts on other database URLs, as the action server would build them from DATABASE_URL."""
    built: List[StoreContext] = []

    def build(url: str) -> StoreContext:
        built.append(context_for(url))
        return built[-1]

    yield build
    for context in built:
        context.store.engine.dispose()


def test_importing_the_actions_creates_no_store_and_no_engine() -> None:
    for module in pkgutil.iter_modules(actions.__path__):
        imported = importlib.import_module(f"actions.{module.name}")
        held = [name for name, value in vars(imported).items() if isinstance(value, (StoreRepository, Engine))]
        assert held == [], f"actions.{module.name} holds {held}"


UNREACHABLE = [
    "postgresql://postgres@127.0.0.1:1/test",  # nothing listens on port 1
    "sqlite:////nonexistent-folder/for/sure/shop.db",
]


@pytest.mark.parametrize("url", UNREACHABLE)
async def test_an_unreachable_store_is_a_technical_problem(
    context_at: Callable[[str], StoreContext], domain: Dict[str, Any], url: str
) -> None:
    context = context_at(url)
    tracker = make_tracker(domain, slots=verified_for(SHIPPED.number, SHIPPED.customer_email))
    outcome = await run(ActionShowOrderStatus(context), tracker, domain)
    assert outcome.responses == ["utter_technical_problem"]
    assert outcome.slots() == {}
    assert outcome.answered


async def test_a_file_that_is_not_a_database_is_a_technical_problem(
    context_at: Callable[[str], StoreContext], domain: Dict[str, Any], tmp_path: Path
) -> None:
    garbage = tmp_path / "shop.db"
    garbage.write_bytes(b"this is not a database" * 100)
    context = context_at(f"sqlite:///{garbage}")
    tracker = make_tracker(
        domain,
        slots={"product_question": "price"},
        message=user_message("price of vega p10", "product_price", [entity("product", "vega p10")]),
    )
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses == ["utter_technical_problem"]


async def test_the_technical_problem_offers_a_person(
    context_at: Callable[[str], StoreContext], domain: Dict[str, Any]
) -> None:
    context = context_at(UNREACHABLE[0])
    tracker = make_tracker(domain, slots=verified_for(PROCESSING.number, PROCESSING.customer_email))
    outcome = await run(ActionAskCancelConfirmation(context), tracker, domain)
    assert outcome.responses == ["utter_technical_problem"]
    buttons = domain["responses"]["utter_technical_problem"][0]["buttons"]
    assert [button["payload"] for button in buttons] == ["/human_handoff"]


class _FailsHalfway(Action):
    def name(self) -> str:
        return "action_fails_halfway"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        dispatcher.utter_message(response="utter_order_cancelled", order_number="ORD-100001", total="€1.00")
        raise RuntimeError("the unexpected")


async def test_an_unexpected_error_withdraws_half_an_answer(
    domain: Dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    outcome = await run(_FailsHalfway(), make_tracker(domain), domain)
    assert outcome.responses == ["utter_technical_problem"]
    assert "the unexpected" in caplog.text


async def test_answering_actions_mark_the_turn_and_validators_do_not(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    from actions.verification import ValidateOrderVerificationForm
    from tests.actions.dialogue import form_tracker

    answered = await run(
        ActionShowOrderStatus(context),
        make_tracker(domain, slots=verified_for(SHIPPED.number, SHIPPED.customer_email)),
        domain,
    )
    assert answered.answered
    validated = await run(
        ValidateOrderVerificationForm(context),
        form_tracker(domain, "order_verification_form", {"order_number": "100001"}),
        domain,
    )
    assert not validated.answered


def test_the_turn_marker_is_reset_by_every_message(domain: Dict[str, Any]) -> None:
    mappings = domain["slots"][ANSWERED_SLOT]["mappings"]
    assert mappings == [{"type": "from_intent", "value": False}]
    assert domain["slots"][ANSWERED_SLOT]["influence_conversation"] is True
