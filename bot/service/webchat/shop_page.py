"""The demo shop page that embeds the widget: a few catalog products and the demo orders to try."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import List, Optional, Sequence

from bot.shared.languages import SUPPORTED_LANGUAGES
from bot.store.catalog import PRODUCTS, CatalogProduct

FEATURED_SKUS = ("AUD-X200", "PHN-P20P", "LAP-O15P", "WRB-PW3", "AUD-SMAX", "HOM-COFFEE")
FEATURED_COUNT = 6


@dataclass(frozen=True)
class DemoOrder:
    number: str
    customer_name: str
    customer_email: str
    situation: str


def demo_orders() -> List[DemoOrder]:
    from bot.demo.showcase import SHOWCASE_ORDERS

    return [
        DemoOrder(order.number, order.customer_name, order.customer_email, order.situation) for order in SHOWCASE_ORDERS
    ]


def featured_products() -> List[CatalogProduct]:
    """The named favourites if the catalog has them, topped up with one product per category."""
    by_sku = {product.sku: product for product in PRODUCTS}
    chosen = [by_sku[sku] for sku in FEATURED_SKUS if sku in by_sku]
    seen_categories = {product.category for product in chosen}
    for product in PRODUCTS:
        if len(chosen) >= FEATURED_COUNT:
            break
        if product.category not in seen_categories:
            chosen.append(product)
            seen_categories.add(product.category)
    return chosen[:FEATURED_COUNT]


def render_shop_page(rasa_url: str, demo_signin: bool, widget_language: Optional[str] = None) -> str:
    """`widget_language` embeds the widget in that language, as a shop's page for those customers would."""
    language = widget_language if widget_language in SUPPORTED_LANGUAGES else None
    products = "\n".join(_product_card(product) for product in featured_products())
    orders = demo_orders()
    order_rows = "\n".join(_order_row(order) for order in orders)
    signin = _signin_box(orders) if demo_signin else ""
    return PAGE.format(
        products=products,
        order_rows=order_rows,
        signin=signin,
        rasa_url=escape(rasa_url, quote=True),
        widget_language=f' data-language="{language}"' if language else "",
    )


def _product_card(product: CatalogProduct) -> str:
    features = "".join(f"<li>{escape(feature)}</li>" for feature in product.features[:3])
    return (
        f'<article class="product" data-sku="{escape(product.sku, quote=True)}">'
        f"<h3>{escape(product.name)}</h3>"
        f'<p class="price">{escape(_money(product))}</p>'
        f"<ul>{features}</ul></article>"
    )


def _money(product: CatalogProduct) -> str:
    symbol = "€" if product.currency == "EUR" else product.currency + " "
    return f"{symbol}{product.price:,.2f}"


def _order_row(order: DemoOrder) -> str:
    return (
        f"<tr><td><code>{escape(order.number)}</code></td>"
        f"<td>{escape(order.customer_email)}</td><td>{escape(order.situation)}</td></tr>"
    )


def _signin_box(orders: Sequence[DemoOrder]) -> str:
    options = "".join(
        f'<option value="{escape(order.customer_email, quote=True)}">'
        f"{escape(order.customer_name)} ({escape(order.customer_email)})</option>"
        for order in orders
    )
    return f"""
    <section class="signin" aria-labelledby="signin-title">
      <h2 id="signin-title">Demo sign-in</h2>
      <p>Signed-in shoppers skip email verification: the page passes a signed token to the chat.</p>
      <label for="demo-customer">Customer</label>
      <select id="demo-customer" data-testid="demo-customer">{options}</select>
      <button type="button" id="demo-signin" data-testid="demo-signin" aria-pressed="false">Sign in as this customer</button>
      <p id="demo-signin-status" data-testid="demo-signin-status" role="status">Not signed in.</p>
    </section>"""


PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Northwind Electronics: demo shop</title>
  <link rel="stylesheet" href="/shop.css">
</head>
<body>
  <header class="shop-header"><h1>Northwind Electronics</h1><p>Demo shop for the support assistant</p></header>
  <main>
    <section aria-labelledby="products-title">
      <h2 id="products-title">Popular right now</h2>
      <div class="products">{products}</div>
    </section>
    <section class="try" aria-labelledby="try-title">
      <h2 id="try-title">Demo orders to ask about</h2>
      <p>Open the chat (bottom right) and ask, for example, "where is my order ORD-100001?". The assistant
        asks for the email on the order before it tells you anything.</p>
      <table>
        <thead><tr><th scope="col">Order</th><th scope="col">Email on the order</th><th scope="col">Situation</th></tr></thead>
        <tbody>{order_rows}</tbody>
      </table>
    </section>
    {signin}
  </main>
  <script src="/shop.js" defer></script>
  <script src="/webchat.js" data-rasa-url="{rasa_url}" data-title="Northwind support"{widget_language} defer></script>
</body>
</html>
"""
