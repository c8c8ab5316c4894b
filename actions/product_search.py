"""Product search: "headphones under 100", "a laptop with 32 GB", "like the X200 but cheaper", answered from the store."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Text, Tuple

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.formatting import money
from actions.product_answers import answer_product
from actions.product_search_text import ReadSearch, read_product_search
from bot.store.context import StoreContext, UsesStoreContext
from bot.store.product_query import ProductMatch, ProductSearchResult
from bot.store.records import ProductView
from bot.store.repository import StoreRepository


def _named_product(
    store: StoreRepository, entities: Sequence[Dict[str, Any]]
) -> Tuple[Optional[str], Optional[Tuple[int, int]]]:
    """The first product entity the store knows, as its SKU and where the message names it."""
    for found in entities:
        if found.get("entity") != "product" or not found.get("value"):
            continue
        product = store.find_product(str(found["value"]))
        if product is not None:
            start, end = found.get("start"), found.get("end")
            span = (start, end) if isinstance(start, int) and isinstance(end, int) else None
            return product.sku, span
    return None, None


def read_search(store: StoreRepository, tracker: Tracker) -> ReadSearch:
    """What the latest message asks for; a button payload ("/product_search") asks for nothing."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        text = ""
    sku, span = _named_product(store, tracker.latest_message.get("entities") or [])
    return read_product_search(text, named_sku=sku, named_span=span)


def _line(position: int, match: ProductMatch) -> str:
    product = match.product
    feature = f" ({match.matching_feature})" if match.matching_feature else ""
    return f"{position}. {product.name}, {money(product.price, product.currency)}{feature}"


def answer_search(dispatcher: CollectingDispatcher, read: ReadSearch, result: ProductSearchResult) -> EventList:
    """Up to three matches, best first; none found says so and offers the closest product and a person."""
    if read.foreign_amount is not None:
        dispatcher.utter_message(response="utter_product_search_currency", amount=read.foreign_amount)
    if result.matches:
        lines = "\n".join(_line(position, match) for position, match in enumerate(result.matches, start=1))
        dispatcher.utter_message(response="utter_product_search_results", matches=lines)
        return [SlotSet("product", result.matches[0].product.name), SlotSet("awaiting", None)]
    if result.closest is not None:
        closest = result.closest.product
        dispatcher.utter_message(
            response="utter_product_search_closest",
            product=closest.name,
            price=money(closest.price, closest.currency),
            feature=result.closest.matching_feature,
        )
    else:
        dispatcher.utter_message(response="utter_product_search_none")
    return [SlotSet("awaiting", "human_offer")]


def _search(
    store: StoreRepository, tracker: Tracker
) -> Tuple[ReadSearch, Optional[ProductSearchResult], Optional[ProductView]]:
    """The search asked for and its result; when it asks for nothing but names a product, that product."""
    read = read_search(store, tracker)
    if read.query.asks_anything:
        return read, store.search_products(read.query), None
    sku, _ = _named_product(store, tracker.latest_message.get("entities") or [])
    return read, None, store.product_by_sku(sku) if sku else None


async def search_and_answer(dispatcher: CollectingDispatcher, context: StoreContext, tracker: Tracker) -> EventList:
    read, result, named = await context.threads.run(_search, context.store, tracker)
    if result is not None:
        return answer_search(dispatcher, read, result)
    if named is not None:
        # "the vega p10, what do you think?": nothing to search, so what the product has, with its price.
        answer_product(dispatcher, named, "info")
        return [SlotSet("product", named.name), SlotSet("awaiting", None)]
    dispatcher.utter_message(response="utter_ask_product_search")
    return [SlotSet("awaiting", None)]


class ActionSearchProducts(UsesStoreContext, Action):
    def name(self) -> Text:
        return "action_search_products"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        return await search_and_answer(dispatcher, self.context, tracker)
