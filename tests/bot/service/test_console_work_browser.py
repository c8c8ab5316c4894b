"""The console an agent works a queue with, in headless Chromium: readable chats, live cues, typing, colleagues, replies, search, accessibility."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, sync_playwright

from bot.shared.settings import PROJECT_ROOT
from bot.shared.webchat.session_proof import proof_for
from tests.bot.service.console_pages import CUSTOMER_EMAIL, ORDER_NUMBER, add_customer_with_order, log_in, open_chat
from tests.support.handoff_fixtures import HandoffDatabase, RunningService, auth, escalate, service_settings

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SESSION_SECRET = "console-browser-session-secret-0123456789"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "browser"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
VERIFIED_SLOTS = {
    "verified": True,
    "verified_email": CUSTOMER_EMAIL,
    "order_number": ORDER_NUMBER,
    "turn_answered": True,
    "awaiting": "human_offer",
    "verification_attempts": 0,
}


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_service(handoff_database: HandoffDatabase, tmp_path: Path) -> Iterator[RunningService]:
    """The bot service over a database that also holds one store customer; web chat sessions can be proven."""
    engine = handoff_database.engine()
    add_customer_with_order(engine)
    engine.dispose()
    settings = replace(service_settings(handoff_database, tmp_path), webchat_session_secret=SESSION_SECRET)
    running = RunningService(settings, handoff_database.schema).start()
    yield running
    running.stop()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)


def _claim(service: RunningService, token: str, handoff_id: int) -> None:
    response = requests.post(f"{service.url}/api/handoffs/{handoff_id}/claim", headers=auth(token), timeout=10)
    assert response.status_code == 200, response.text


def _customer_says(service: RunningService, conversation_id: str, text: str) -> None:
    stored = service.call(
        service.desk.record_customer_message(conversation_id, text, uuid.uuid4().hex, datetime.now(timezone.utc))
    )
    assert stored


def test_a_chat_reads_as_the_customer_with_the_facts_first_and_the_slots_behind_details(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    create_agent(console_service, "dana")
    verified = escalate(console_service, "conv-maya", slots=VERIFIED_SLOTS).json()["handoff_id"]
    visitor = escalate(console_service, "conv-visitor", slots={}, reason="negative_sentiment").json()["handoff_id"]
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    log_in(page, console_service.url, "dana")

    queue = page.get_by_test_id("queue")
    queue.locator(f'li[data-handoff-id="{verified}"]').filter(has_text=CUSTOMER_EMAIL).wait_for()
    visitor_item = queue.locator(f'li[data-handoff-id="{visitor}"]')
    assert "Visitor from web chat, " in visitor_item.get_by_test_id("chat-title").inner_text()
    assert "frustrated" in visitor_item.inner_text()
    assert visitor_item.get_by_test_id("channel-icon").get_attribute("aria-label") == "Web chat"
    assert "conv-" not in queue.inner_text()

    open_chat(page, verified)
    assert page.get_by_test_id("conversation-title").inner_text().strip().endswith("Maya Patel")
    card = page.get_by_test_id("context-card")
    assert page.get_by_test_id("context-verified").inner_text() == "verified"
    assert "asked for a person" in page.get_by_test_id("context-reason").inner_text()
    order = page.get_by_test_id("context-order-in-question").inner_text()
    assert ORDER_NUMBER in order and "shipped" in order and "DHL" in order
    link = page.get_by_test_id("context-tracking")
    assert link.get_attribute("href") == "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0001230000042"
    # the slots are there for who wants them, behind Details, and not on the card itself
    assert "turn_answered" not in card.inner_text() and "awaiting" not in card.inner_text()
    details = page.get_by_test_id("context-details")
    assert not details.locator("dl").is_visible()
    details.locator("summary").click()
    assert "human_offer" in details.inner_text()
    _shot(page, "context-card")


def test_unread_counts_rise_on_the_other_chats_while_one_is_open(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    token = create_agent(console_service, "dana")
    first = escalate(console_service, "conv-first").json()["handoff_id"]
    second = escalate(console_service, "conv-second").json()["handoff_id"]
    _claim(console_service, token, first)
    _claim(console_service, token, second)
    page = browser.new_page()
    log_in(page, console_service.url, "dana")
    open_chat(page, first)

    _customer_says(console_service, "conv-second", "hello? anyone there?")
    _customer_says(console_service, "conv-second", "my order is late")
    _customer_says(console_service, "conv-first", "thanks for looking")
    badge = page.locator(f'[data-testid="chat-item"][data-handoff-id="{second}"] [data-testid="unread-count"]')
    badge.filter(has_text="2").wait_for()
    # the open chat shows its message and counts nothing
    page.get_by_test_id("transcript").filter(has_text="thanks for looking").wait_for()
    assert (
        page.locator(f'[data-testid="chat-item"][data-handoff-id="{first}"] [data-testid="unread-count"]').count() == 0
    )
    assert page.title() == "(2) Support console"
    assert "New message from" in page.get_by_test_id("announcer").inner_text()

    open_chat(page, second)
    assert badge.count() == 0
    assert page.title() == "Support console"


def test_typing_shows_both_ways_between_the_widget_and_the_console(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    token = create_agent(console_service, "dana")
    session_id = uuid.uuid4().hex
    handoff_id = escalate(console_service, session_id).json()["handoff_id"]
    _claim(console_service, token, handoff_id)
    agent = browser.new_page()
    log_in(agent, console_service.url, "dana")
    open_chat(agent, handoff_id)

    customer = browser.new_context().new_page()
    # the widget's own storage, as after the socket gave it this session and an agent joined
    joined = {
        "sender": "bot",
        "text": "Dana from support joined the chat.",
        "custom": {"handoff": {"event": "agent_joined", "agent": "Dana"}},
    }
    stored = {
        "supportchat:session": {"id": session_id, "proof": proof_for(session_id, SESSION_SECRET)},
        f"supportchat:transcript:{session_id}": [joined],
        "supportchat:open": True,
    }
    customer.add_init_script(
        f"for (const [k, v] of Object.entries({json.dumps(stored)})) localStorage.setItem(k, JSON.stringify(v));"
    )
    customer.goto(f"{console_service.url}/")
    customer.get_by_test_id("chat-panel").wait_for()

    customer.get_by_test_id("chat-input").press_sequentially("where is my parcel", delay=20)
    agent.get_by_test_id("customer-typing").wait_for(state="visible")

    agent.get_by_test_id("reply-box").press_sequentially("Let me check", delay=20)
    customer.locator('[data-testid="chat-typing"][data-agent-typing="true"]').wait_for(state="visible")
    assert customer.get_by_test_id("chat-typing").inner_text().strip().endswith("Dana is typing")
    # typing that stops is no longer shown, on either side
    customer.locator('[data-testid="chat-typing"][data-agent-typing="false"]').wait_for(state="hidden", timeout=15000)
    agent.get_by_test_id("customer-typing").wait_for(state="hidden", timeout=15000)


def test_two_agents_in_one_chat_see_each_other_viewing_and_typing(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    token = create_agent(console_service, "dana")
    create_agent(console_service, "omar")
    handoff_id = escalate(console_service, "conv-shared").json()["handoff_id"]
    _claim(console_service, token, handoff_id)
    dana = browser.new_context().new_page()
    omar = browser.new_context().new_page()
    log_in(dana, console_service.url, "dana")
    log_in(omar, console_service.url, "omar")
    open_chat(dana, handoff_id)
    dana.get_by_test_id("collision-notice").wait_for(state="hidden")

    omar.get_by_test_id("search-box").fill("conv-shared")
    omar.locator('[data-testid="conversation"]').wait_for(state="hidden")
    omar.evaluate(f"fetch('/api/handoffs/{handoff_id}')")  # a colleague who is not the holder may read it
    omar.get_by_test_id("search-box").fill("")
    # Omar has no chat of his own: he opens Dana's from the search of its customer message
    _customer_says(console_service, "conv-shared", "the blue one please")
    omar.get_by_test_id("search-box").fill("blue one")
    omar.get_by_test_id("search-submit").click()
    omar.locator(f'[data-testid="search-result"][data-handoff-id="{handoff_id}"] button').click()
    omar.get_by_test_id("conversation").wait_for()

    dana.get_by_test_id("collision-notice").filter(has_text="Omar is viewing").wait_for()
    omar.get_by_test_id("collision-notice").filter(has_text="Dana is viewing").wait_for()
    omar.get_by_test_id("reply-box").press_sequentially("I can take this", delay=20)
    dana.get_by_test_id("collision-notice").filter(has_text="Omar is typing").wait_for()
    _shot(dana, "collision")


def test_slash_completes_a_canned_reply_with_the_customers_name_and_order(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    token = create_agent(console_service, "dana")
    handoff_id = escalate(console_service, "conv-canned", slots=VERIFIED_SLOTS).json()["handoff_id"]
    _claim(console_service, token, handoff_id)
    page = browser.new_page()
    log_in(page, console_service.url, "dana")
    open_chat(page, handoff_id)

    box = page.get_by_test_id("reply-box")
    box.press_sequentially("/sta", delay=20)
    options = page.get_by_test_id("canned-option")
    options.first.wait_for()
    assert options.count() == 1 and "/status" in options.first.inner_text()
    box.press("Enter")
    assert box.input_value() == f"I've checked order {ORDER_NUMBER}; I'll tell you exactly where it is in a moment."

    box.fill("")
    box.press_sequentially("/any", delay=20)
    box.press("Enter")
    assert box.input_value() == "Is there anything else I can help you with, Maya?"
    assert page.get_by_test_id("canned-suggestions").is_hidden()


def test_search_finds_an_earlier_conversation_by_order_number_and_by_words(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    token = create_agent(console_service, "dana")
    earlier = escalate(console_service, "conv-yesterday", slots=VERIFIED_SLOTS).json()["handoff_id"]
    _claim(console_service, token, earlier)
    _customer_says(console_service, "conv-yesterday", "The kettle lid came off in my hand")
    requests.post(
        f"{console_service.url}/api/handoffs/{earlier}/close",
        json={"outcome": "resolved"},
        headers=auth(token),
        timeout=10,
    )
    escalate(console_service, "conv-other", slots={"order_number": "ORD-200999"})
    page = browser.new_page()
    log_in(page, console_service.url, "dana")

    page.get_by_test_id("search-box").fill("kettle lid")
    page.get_by_test_id("search-submit").click()
    hit = page.locator(f'[data-testid="search-result"][data-handoff-id="{earlier}"]')
    hit.wait_for()
    assert page.get_by_test_id("search-result").count() == 1
    assert "kettle lid" in hit.inner_text().lower() and CUSTOMER_EMAIL in hit.inner_text()

    # an order number as customers type it
    page.get_by_test_id("search-box").fill("#100123")
    page.get_by_test_id("search-submit").click()
    page.get_by_test_id("search-status").filter(has_text="1 found").wait_for()
    hit.locator("button").click()
    page.get_by_test_id("transcript").filter(has_text="The kettle lid came off").wait_for()


@pytest.mark.parametrize("width", [1366, 820])
def test_axe_finds_no_serious_violations_in_the_console_at_laptop_and_tablet_widths(
    console_service: RunningService, create_agent: Callable[..., str], browser: Browser, width: int
) -> None:
    token = create_agent(console_service, "dana")
    handoff_id = escalate(console_service, f"conv-axe-{width}", slots=VERIFIED_SLOTS).json()["handoff_id"]
    escalate(console_service, f"conv-axe-wait-{width}")
    _claim(console_service, token, handoff_id)
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, console_service.url, "dana")
    open_chat(page, handoff_id)
    page.get_by_test_id("context-card").filter(has_text="Maya Patel").wait_for()

    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    # nothing sticks out sideways at this width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, f"queue-and-chat-{width}")
