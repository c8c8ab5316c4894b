"""Product questions: price, stock and features from the catalog, with a related product to suggest."""

from __future__ import annotations

from typing import List, Optional, Sequence, Text, Tuple

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.common import EventList, fail_safe
from actions.formatting import money
from actions.product_answers import answer_product
from actions.product_search import answer_search, read_search
from actions.product_search_text import ReadSearch
from bot.store.context import UsesStoreContext
from bot.store.product_query import ProductSearchResult
from bot.store.records import ProductView
from bot.store.repository import StoreRepository

MAX_QUOTED_QUERY = 60


def product_queries(tracker: Tracker) -> List[str]:
    """What to look up, best guess first: products named now (then the whole message, for names the
    language model only half recognised), the reply to "which product?", else the product talked about."""
    named_now = [str(value) for value in tracker.get_latest_entity_values("product") if value]
    text = tracker.latest_message.get("text") or ""
    typed = text if text.strip() and not text.startswith("/") else ""
    replying = tracker.get_slot("awaiting") == "product_name"
    if named_now or replying:
        return named_now + ([typed] if typed else [])
    talked_about = tracker.get_slot("product")
    return [talked_about] if talked_about else []


def _look_up(store: StoreRepository, queries: Sequence[str]) -> Tuple[Optional[ProductView], List[ProductView]]:
    """The first product any query names, best guess first, and one related product to suggest."""
    product = next(filter(None, (store.find_product(query) for query in queries)), None)
    if product is None:
        return None, []
    return product, store.related_products(product.sku, limit=1)


def _is_a_search(read: ReadSearch, tracker: Tracker) -> bool:
    """ "headphones under 100" asked as a price question is a search, not the price of the product talked about."""
    if read.has_price_limit or read.query.like_sku is not None:
        return True
    named_now = any(tracker.get_latest_entity_values("product"))
    return read.query.kind is not None and not named_now and tracker.get_slot("awaiting") != "product_name"


def _search_if_asked(store: StoreRepository, tracker: Tracker) -> Optional[Tuple[ReadSearch, ProductSearchResult]]:
    read = read_search(store, tracker)
    return (read, store.search_products(read.query)) if _is_a_search(read, tracker) else None


class ActionAnswerProduct(UsesStoreContext, Action):
    def name(self) -> Text:
        return "action_answer_product"

    @fail_safe()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> EventList:
        search = await self.context.threads.run(_search_if_asked, self.context.store, tracker)
        if search is not None:
            return answer_search(dispatcher, *search)
        queries = [query for query in product_queries(tracker) if query.strip()]
        if not queries:
            dispatcher.utter_message(response="utter_ask_product")
            return [SlotSet("awaiting", "product_name")]
        product, related_products = await self.context.threads.run(_look_up, self.context.store, queries)
        if product is None:
            quoted = " ".join(queries[0].split())[:MAX_QUOTED_QUERY]
            dispatcher.utter_message(response="utter_product_unknown", query=quoted)
            return [SlotSet("product", None), SlotSet("awaiting", "product_name")]
        answer_product(dispatcher, product, tracker.get_slot("product_question"))
        for related in related_products:
            dispatcher.utter_message(
                response="utter_related_product",
                related_product=related.name,
                related_price=money(related.price, related.currency),
            )
        return [SlotSet("product", product.name), SlotSet("awaiting", None)]
