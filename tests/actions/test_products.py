"""Product questions answered from the catalog, tolerant of typos, with a related product suggested."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from actions.products import ActionAnswerProduct
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from tests.actions.dialogue import entity, make_tracker, rendered, run, user_message


def asking(domain: Dict[str, Any], text: str, intent: str, product: str = None, **slots: Any):
    entities = [entity("product", product)] if product else []
    question = {"product_price": "price", "product_availability": "availability", "product_info": "info"}.get(intent)
    return make_tracker(
        domain, slots={"product_question": question, **slots}, message=user_message(text, intent, entities)
    )


async def test_a_price_question_is_answered_with_currency_and_a_related_product(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    tracker = asking(domain, "how much is the Vega P10 Phone", "product_price", "Vega P10 Phone")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses == ["utter_product_price", "utter_related_product"]
    price = outcome.message("utter_product_price")
    assert price["product"] == "Vega P10 Phone"
    assert price["price"].startswith("€") and price["price"][-3] == "."
    assert outcome.message("utter_related_product")["related_product"] != "Vega P10 Phone"
    assert outcome.slots() == {"product": "Vega P10 Phone", "awaiting": None}


@pytest.mark.parametrize("typed", ["vega p10 phnoe", "Vgea P10 Phone", "VEGA p10 phone"])
async def test_misspelt_product_names_are_found(context: StoreContext, domain: Dict[str, Any], typed: str) -> None:
    outcome = await run(ActionAnswerProduct(context), asking(domain, typed, "product_price", typed), domain)
    assert outcome.message("utter_product_price")["product"] == "Vega P10 Phone"


async def test_a_half_recognised_name_is_looked_up_in_the_whole_message(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    tracker = asking(domain, "price of the vgea p10 phone please", "product_price", "vgea")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.message("utter_product_price")["product"] == "Vega P10 Phone"


async def test_a_button_payload_is_not_looked_up(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = asking(domain, "/inform", "inform", awaiting="product_name")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses == ["utter_ask_product"]


async def test_availability_reports_the_stock(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    product = repository.find_product("Aria Buds Pro")
    outcome = await run(
        ActionAnswerProduct(context),
        asking(domain, "is the aria buds pro in stock", "product_availability", "aria buds pro"),
        domain,
    )
    expected = "utter_product_availability" if product.in_stock else "utter_product_out_of_stock"
    assert outcome.responses[0] == expected
    if product.in_stock:
        assert outcome.messages[0]["stock"] == product.stock


async def test_information_lists_the_features(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    product = repository.find_product("Orbit 15 Laptop")
    outcome = await run(
        ActionAnswerProduct(context),
        asking(domain, "tell me about the orbit 15 laptop", "product_info", "orbit 15 laptop"),
        domain,
    )
    assert outcome.responses[0] == "utter_product_info"
    assert product.features[0] in rendered(outcome.messages[0], domain)


async def test_without_a_product_the_customer_is_asked_which(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionAnswerProduct(context), asking(domain, "how much does it cost", "product_price"), domain)
    assert outcome.responses == ["utter_ask_product"]
    assert outcome.slots() == {"awaiting": "product_name"}


async def test_the_reply_to_which_product_is_looked_up(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = asking(domain, "the boom s2 speakr", "nlu_fallback", awaiting="product_name", product_question="price")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.message("utter_product_price")["product"] == "Boom S2 Speaker"


async def test_a_follow_up_question_uses_the_product_talked_about(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    tracker = asking(domain, "and is it in stock?", "product_availability", product="Boom S2 Speaker")
    tracker.slots["product"] = "Boom S2 Speaker"
    tracker.latest_message["entities"] = []
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.messages[0]["product"] == "Boom S2 Speaker"


@pytest.mark.parametrize(
    "typed",
    ["Quantum Flux Toaster", "'; DROP TABLE products; --", "ünïcödé 製品 🎧", "x" * 10000],
)
async def test_unknown_products_are_said_politely(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any], typed: str
) -> None:
    tracker = asking(domain, typed, "inform", awaiting="product_name", product_question="info")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses == ["utter_product_unknown"]
    assert len(outcome.messages[0]["query"]) <= 60
    assert outcome.slots() == {"product": None, "awaiting": "product_name"}
    assert repository.find_product("Vega P10 Phone") is not None  # the catalog is intact


async def test_an_empty_reply_asks_again(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = asking(domain, "   ", "inform", awaiting="product_name")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses == ["utter_ask_product"]
