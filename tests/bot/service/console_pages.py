"""Helpers for the console's browser tests: a store with one customer, agents logged in to the console page."""

from __future__ import annotations

from datetime import date, datetime, timezone

from playwright.sync_api import Page
from sqlalchemy.engine import Engine

from bot.store import tables as store
from bot.store.statuses import OrderStatus, ShipmentStatus

CUSTOMER_EMAIL = "maya.patel@example.com"
ORDER_NUMBER = "ORD-100123"


def add_customer_with_order(engine: Engine) -> None:
    """Maya Patel and her shipped order, with a DHL tracking number; nothing else of the demo store."""
    store.metadata.create_all(engine)
    placed = datetime(2026, 6, 28, 9, 30, tzinfo=timezone.utc)
    with engine.begin() as connection:
        connection.execute(
            store.customers.insert().values(id=1, name="Maya Patel", email=CUSTOMER_EMAIL, created_at=placed)
        )
        connection.execute(
            store.orders.insert().values(
                id=1,
                number=ORDER_NUMBER,
                customer_id=1,
                status=OrderStatus.SHIPPED,
                placed_at=placed,
                updated_at=placed,
                shipping_address="1 High Street, London",
                currency="GBP",
                subtotal_cents=5000,
                shipping_cents=0,
                tax_cents=1000,
                total_cents=6000,
            )
        )
        connection.execute(
            store.shipments.insert().values(
                order_id=1,
                carrier="DHL",
                tracking_number="JD0001230000042",
                status=ShipmentStatus.IN_TRANSIT,
                shipped_at=placed,
                estimated_delivery=date(2026, 7, 3),
            )
        )


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/console")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill("password-123")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("stream-state").filter(has_text="live").wait_for()


def open_chat(page: Page, handoff_id: int) -> None:
    page.locator(f'li[data-handoff-id="{handoff_id}"] [data-testid="chat-open"]').click()
    page.locator(f'[data-testid="conversation"][data-handoff-id="{handoff_id}"]').wait_for()
