"""Product searches answered from the demo store: matches best first, or the closest product and a person."""

from __future__ import annotations

from typing import Any, Dict, Sequence

from sqlalchemy import update

from actions.escalation_events import ActionRequestHuman
from actions.product_search import ActionSearchProducts
from actions.products import ActionAnswerProduct
from bot.store.context import StoreContext
from bot.store.repository import StoreRepository
from bot.store.tables import products
from tests.actions.dialogue import make_tracker, rendered, run, user_message


def product_entity(text: str, value: str) -> Dict[str, Any]:
    start = text.lower().index(value.lower())
    return {"entity": "product", "value": value, "start": start, "end": start + len(value)}


def asking(domain: Dict[str, Any], text: str, intent: str = "product_search", language: str = "en", **slots: Any):
    entities: Sequence[Dict[str, Any]] = slots.pop("entities", ())
    return make_tracker(
        domain, slots={"language": language, **slots}, message=user_message(text, intent, list(entities))
    )


def all_in_stock(repository: StoreRepository) -> None:
    with repository.engine.begin() as connection:
        connection.execute(update(products).values(stock=5))


async def test_headphones_under_100_lists_the_matches_with_price_and_feature(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    all_in_stock(repository)
    outcome = await run(ActionSearchProducts(context), asking(domain, "headphones under 100"), domain)
    assert outcome.responses == ["utter_product_search_results"]
    lines = outcome.messages[0]["matches"].splitlines()
    assert lines == ["1. Arcade Headset G5, €99.00 (7.1 surround sound)", "2. Aria Buds Mini, €59.00 (true wireless)"]
    assert outcome.slots() == {"product": "Arcade Headset G5", "awaiting": None}
    assert "Arcade Headset G5" in rendered(outcome.messages[0], domain)


async def test_a_laptop_with_32_gb_names_the_matching_feature(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionSearchProducts(context), asking(domain, "un portable avec 32 Go", language="fr"), domain)
    assert outcome.messages[0]["matches"] == "1. Orbit 15 Pro, €1,699.00 (32 gb memory)"


async def test_like_the_x200_but_cheaper_stays_with_headphones_below_its_price(
    context: StoreContext, repository: StoreRepository, domain: Dict[str, Any]
) -> None:
    all_in_stock(repository)
    text = "something like the x200 but cheaper"
    tracker = asking(domain, text, entities=[product_entity(text, "x200")])
    outcome = await run(ActionSearchProducts(context), tracker, domain)
    names = [line.split(",")[0][3:] for line in outcome.messages[0]["matches"].splitlines()]
    assert names == ["Arcade Headset G5", "Aria Buds Mini"]


async def test_nothing_found_offers_the_closest_and_a_person(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionSearchProducts(context), asking(domain, "Kopfhörer unter 30 Euro", language="de"), domain)
    assert outcome.responses == ["utter_product_search_closest"]
    assert outcome.messages[0]["product"] == "Aria Buds Mini" and outcome.messages[0]["price"] == "€59.00"
    assert outcome.slots() == {"awaiting": "human_offer"}


async def test_nothing_at_all_offers_a_person(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionSearchProducts(context), asking(domain, "a cable with gps under 1 euro"), domain)
    assert outcome.responses == ["utter_product_search_none"]
    assert outcome.slots() == {"awaiting": "human_offer"}


async def test_yes_to_the_person_after_a_search_is_no_complaint(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = make_tracker(
        domain,
        slots={"awaiting": "human_offer"},
        message=user_message("yes", "affirm"),
        events=[{"event": "action", "name": "action_search_products"}, {"event": "action", "name": "action_listen"}],
    )
    outcome = await run(ActionRequestHuman(), tracker, domain)
    assert outcome.slots()["handoff_reason"] == "customer_request"


async def test_a_price_in_another_currency_is_searched_in_euros_and_said_so(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionSearchProducts(context), asking(domain, "show me phones under $400"), domain)
    assert outcome.responses == ["utter_product_search_currency", "utter_product_search_results"]
    assert outcome.messages[0]["amount"] == "400"
    assert "Vega Lite Phone" in outcome.messages[1]["matches"]


async def test_a_search_without_anything_to_search_for_asks(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionSearchProducts(context), asking(domain, "what do you sell"), domain)
    assert outcome.responses == ["utter_ask_product_search"]


async def test_an_order_number_is_not_read_as_a_price(context: StoreContext, domain: Dict[str, Any]) -> None:
    outcome = await run(ActionSearchProducts(context), asking(domain, "ORD-100001"), domain)
    assert outcome.responses == ["utter_ask_product_search"]


async def test_a_search_asked_as_a_price_question_is_searched(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = asking(
        domain, "headphones under 100", "product_price", product="Vega P10 Phone", product_question="price"
    )
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses == ["utter_product_search_results"]
    assert "Vega P10 Phone" not in outcome.messages[0]["matches"]


async def test_a_plain_price_question_is_still_a_price_question(context: StoreContext, domain: Dict[str, Any]) -> None:
    text = "how much is the x200"
    tracker = asking(domain, text, "product_price", entities=[product_entity(text, "x200")], product_question="price")
    outcome = await run(ActionAnswerProduct(context), tracker, domain)
    assert outcome.responses[0] == "utter_product_price"


async def test_every_search_response_exists_in_all_four_languages(domain: Dict[str, Any]) -> None:
    for name in (
        "utter_ask_product_search",
        "utter_product_search_results",
        "utter_product_search_closest",
        "utter_product_search_none",
        "utter_product_search_currency",
    ):
        languages = {
            condition["value"]
            for variant in domain["responses"][name]
            for condition in variant.get("condition") or []
            if condition.get("name") == "language"
        }
        assert languages == {"es", "fr", "de"}, name


async def test_a_search_that_only_names_a_product_answers_about_it(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    text = "the vega p10, what do you think?"
    tracker = asking(domain, text, entities=[product_entity(text, "vega p10")])
    outcome = await run(ActionSearchProducts(context), tracker, domain)
    assert outcome.responses == ["utter_product_info"]
    assert outcome.messages[0]["product"] == "Vega P10 Phone" and outcome.messages[0]["price"] == "€499.00"
    assert outcome.slots() == {"product": "Vega P10 Phone", "awaiting": None}
