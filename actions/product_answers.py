"""The answer to a question about one product: its price, its stock, or what it has."""

from __future__ import annotations

from typing import Optional

from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import enumeration, money
from bot.store.records import ProductView


def answer_product(dispatcher: CollectingDispatcher, product: ProductView, question: Optional[str]) -> None:
    price = money(product.price, product.currency)
    if question == "price":
        dispatcher.utter_message(response="utter_product_price", product=product.name, price=price)
    elif question == "availability":
        if product.in_stock:
            dispatcher.utter_message(response="utter_product_availability", product=product.name, stock=product.stock)
        else:
            dispatcher.utter_message(response="utter_product_out_of_stock", product=product.name)
    else:
        dispatcher.utter_message(
            response="utter_product_info", product=product.name, price=price, features=enumeration(product.features)
        )
