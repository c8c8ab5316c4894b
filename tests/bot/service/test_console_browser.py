"""The agent console in headless Chromium: log in, see a handoff arrive live, claim it, read it safely, stream tickets."""

from __future__ import annotations

from typing import Callable, Iterator, List
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import Browser, sync_playwright

from tests.support.handoff_fixtures import RunningService, auth, escalate

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# The console is a module and keeps its stream to itself; the test reaches it the way the network
# would, through the EventSource the page opened.
RECORD_EVENT_SOURCES = """
window.openedStreams = [];
window.EventSource = class extends window.EventSource {
  constructor(...args) {
    super(...args);
    window.openedStreams.push(this);
  }
};
"""


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_a_new_handoff_appears_live_and_can_be_claimed(
    service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    create_agent(service, "dana")
    page = browser.new_page()
    page.goto(f"{service.url}/console")
    page.get_by_test_id("login-username").fill("dana")
    page.get_by_test_id("login-password").fill("wrong-password")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("login-error").filter(has_text="wrong username or password").wait_for()

    page.get_by_test_id("login-password").fill("password-123")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("stream-state").filter(has_text="live").wait_for()

    # the reason is the one text from outside that the queue shows as it came (unknown codes read as words)
    hostile = '<img src=x onerror="window.pwned=1">'
    handoff_id = escalate(service, "conv-hostile", reason=hostile).json()["handoff_id"]
    # no reload: the server-sent event brings the new chat into the queue
    item = page.locator(f'[data-testid="queue-item"][data-handoff-id="{handoff_id}"]')
    item.wait_for()
    assert hostile in item.inner_text()
    assert page.evaluate("window.pwned") is None
    # the console's state and functions are the module's own, not globals of the page
    assert page.evaluate("[typeof window.state, typeof window.api, typeof window.refreshQueue]") == ["undefined"] * 3

    page.get_by_test_id("claim-button").click()
    page.locator(f'[data-testid="chat-item"][data-handoff-id="{handoff_id}"]').wait_for()
    page.get_by_test_id("context-card").filter(has_text=hostile).wait_for()
    assert page.locator('[data-testid="queue-item"]').count() == 0

    page.get_by_test_id("note-box").fill("<b>check the courier</b>")
    page.get_by_test_id("note-add").click()
    page.get_by_test_id("notes-list").filter(has_text="<b>check the courier</b>").wait_for()

    # the assistant is not running here: the reply is queued, and the console says it has not gone out yet
    page.get_by_test_id("reply-box").fill("Hello!")
    page.get_by_test_id("reply-send").click()
    page.get_by_test_id("console-error").filter(has_text="cannot be reached right now").wait_for()
    pending = page.locator('[data-testid="transcript-message"][data-sender="agent"]').filter(has_text="Hello!")
    pending.wait_for()
    assert pending.count() == 1
    assert pending.get_attribute("data-delivery") == "pending"
    assert "not delivered yet" in pending.inner_text()


def test_the_stream_opens_with_tickets_never_the_token_and_ends_at_logout(
    service: RunningService, create_agent: Callable[..., str], browser: Browser
) -> None:
    create_agent(service, "dana")
    page = browser.new_page()
    urls: List[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.add_init_script(RECORD_EVENT_SOURCES)
    page.goto(f"{service.url}/console")
    page.get_by_test_id("login-username").fill("dana")
    page.get_by_test_id("login-password").fill("password-123")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("stream-state").filter(has_text="live").wait_for()
    token = page.evaluate("sessionStorage.getItem('agentToken')")
    assert token

    # a dropped connection reconnects with a fresh ticket, not by replaying the spent one
    page.evaluate("window.openedStreams.at(-1).dispatchEvent(new Event('error'))")
    page.get_by_test_id("stream-state").filter(has_text="reconnecting").wait_for()
    page.get_by_test_id("stream-state").filter(has_text="live").wait_for()
    tickets = [parse_qs(urlsplit(url).query)["ticket"][0] for url in urls if "/api/stream?" in url]
    assert len(tickets) == 2 and tickets[0] != tickets[1]
    assert not any(token in url for url in urls)

    # logging the token out elsewhere ends the console's stream and session at once
    assert requests.post(f"{service.url}/api/agents/logout", headers=auth(token), timeout=10).status_code == 200
    page.get_by_test_id("login-error").filter(has_text="You have been logged out.").wait_for(timeout=5000)
    assert page.get_by_test_id("login-view").is_visible()
