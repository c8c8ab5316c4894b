"""The demo shop's "sign in as a demo customer" switch, which hands a signed token to the chat."""

from __future__ import annotations

import json
from typing import Callable, Iterator

import pytest
import requests
from playwright.sync_api import BrowserContext, expect

from bot.demo.showcase import RETURNABLE, SHIPPED
from bot.shared.webchat.identity import METADATA_KEY, verify_shopper_token
from tests.bot.service.webchat.service_process import start_service_process, stop_service_process
from tests.browser.chat_page import ChatPage
from tests.support.stack import TEST_JWT_SECRET, Stack


@pytest.fixture(scope="module")
def demo_shop_url(running_stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A bot service with demo sign-in switched on, in front of the running assistant."""
    process, base_url = start_service_process(
        tmp_path_factory.mktemp("demo-shop"),
        {**running_stack.secrets_environment(), "RASA_URL": running_stack.rasa_url, "WEBCHAT_DEMO_SIGNIN": "1"},
        port=running_stack.spare_service_port,
    )
    yield base_url + "/"
    stop_service_process(process)


def test_signing_in_on_the_demo_page_sends_a_valid_token_with_each_message(
    running_stack: Stack, demo_shop_url: str, new_context: Callable[..., BrowserContext]
) -> None:
    chat = ChatPage(new_context().new_page(), demo_shop_url).open()
    chat.page.get_by_test_id("demo-customer").select_option("lena.fischer@example.com")
    switch = chat.page.get_by_test_id("demo-signin")

    with chat.page.expect_response("**/demo/token") as issued:
        switch.click()

    assert verify_shopper_token(json.loads(issued.value.body())["token"], TEST_JWT_SECRET) == "lena.fischer@example.com"
    expect(chat.page.get_by_test_id("demo-signin-status")).to_have_text("Signed in as lena.fischer@example.com.")
    expect(switch).to_have_attribute("aria-pressed", "true")
    chat.say("hello")
    tracker = requests.get(
        running_stack.tracker_url(chat.session_id), headers=running_stack.rasa_api_headers, timeout=30
    ).json()
    metadata = [event for event in tracker["events"] if event["event"] == "user"][-1]["metadata"]
    assert verify_shopper_token(metadata[METADATA_KEY], TEST_JWT_SECRET) == "lena.fischer@example.com"

    switch.click()

    expect(chat.page.get_by_test_id("demo-signin-status")).to_have_text("Not signed in.")
    chat.say("thanks")
    tracker = requests.get(
        running_stack.tracker_url(chat.session_id), headers=running_stack.rasa_api_headers, timeout=30
    ).json()
    metadata = [event for event in tracker["events"] if event["event"] == "user"][-1]["metadata"]
    assert METADATA_KEY not in metadata


def test_a_signed_in_shopper_gets_the_order_status_without_the_email_question(
    running_stack: Stack, demo_shop_url: str, new_context: Callable[..., BrowserContext]
) -> None:
    chat = ChatPage(new_context().new_page(), demo_shop_url).open()
    chat.page.get_by_test_id("demo-customer").select_option(RETURNABLE.customer_email)
    chat.page.get_by_test_id("demo-signin").click()
    expect(chat.page.get_by_test_id("demo-signin-status")).to_have_text(f"Signed in as {RETURNABLE.customer_email}.")

    reply = chat.say(f"where is my order {RETURNABLE.number}?")

    assert f"Order {RETURNABLE.number} was delivered on" in reply, reply
    assert "email address" not in " ".join(chat.transcript())
    # Someone else's order still needs its own proof, signed in or not.
    other = chat.say(f"and where is order {SHIPPED.number}?")
    assert "email address you used for order" in other, other
