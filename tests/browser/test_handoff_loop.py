"""The whole human handoff, seen from both sides: the customer's web chat and the agent console."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Callable, List

from playwright.sync_api import BrowserContext, Page, expect

from bot.shared.settings import PROJECT_ROOT
from tests.browser.chat_page import ChatPage
from tests.support.stack import Stack

NewContext = Callable[..., BrowserContext]
Screenshot = Callable[[Page, str], object]
HOSTILE_TEXT = "my parcel arrived broken <img src=x onerror=alert(1)>"


def _create_agent(stack: Stack, username: str, display_name: str, password: str) -> None:
    env = dict(os.environ, DATABASE_URL=stack.database_url, PYTHONPATH=str(PROJECT_ROOT))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "agents",
            "create",
            "--username",
            username,
            "--display-name",
            display_name,
            "--password",
            password,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _log_in_to_console(page: Page, stack: Stack, username: str, password: str) -> None:
    page.goto(stack.service_url + "/console")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("console-view")).to_be_visible()
    page.get_by_test_id("agent-status").select_option("online")


def test_customer_and_agent_talk_through_a_handoff_and_the_customer_rates_it(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    username = f"agent-{uuid.uuid4().hex[:8]}"
    password = "console-loop-password"
    _create_agent(running_stack, username, "Dana", password)
    console = new_context().new_page()
    dialogs: List[str] = []
    console.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _log_in_to_console(console, running_stack, username, password)
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    chat.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # The customer asks for a person; the handoff appears in the console's live queue.
    chat.say("I want to talk to a human")
    queue_item = console.locator(f'[data-testid="queue-item"][data-conversation-id="{chat.session_id}"]')
    expect(queue_item).to_be_visible()
    screenshot(console, "queue")

    # The agent claims it; the customer is told who joined.
    queue_item.get_by_test_id("claim-button").click()
    expect(console.get_by_test_id("conversation")).to_be_visible()
    chat.wait_for_notice("Dana from our support team has joined")

    # The agent writes; the customer reads it live and answers.
    agent_text = f"Hi, I'm Dana. What can I do for you? ({uuid.uuid4().hex[:6]})"
    console.get_by_test_id("reply-box").fill(agent_text)
    console.get_by_test_id("reply-send").click()
    chat.wait_for_bot_text(agent_text)
    chat.page.get_by_test_id("chat-input").fill(HOSTILE_TEXT)
    chat.page.get_by_test_id("chat-input").press("Enter")

    # The agent sees the answer as text: the markup is shown, never run.
    customer_line = console.locator('[data-testid="transcript-message"][data-sender="customer"]', has_text=HOSTILE_TEXT)
    expect(customer_line).to_be_visible()
    assert console.get_by_test_id("transcript").locator("img").count() == 0
    assert chat.page.get_by_test_id("chat-log").locator("img").count() == 0
    screenshot(console, "conversation")

    # Handing back: the bot returns and asks for a rating, which the customer gives with a button.
    console.get_by_test_id("handback-button").click()
    rating_buttons = chat.page.get_by_test_id("chat-choice")
    expect(rating_buttons).to_have_count(5)
    assert rating_buttons.all_inner_texts() == ["1", "2", "3", "4", "5"]
    before = chat.bot_messages().count()
    chat.page.get_by_role("button", name="5", exact=True).click()
    expect(chat.user_messages().last).to_contain_text("5")
    chat.next_bot_message(before)
    expect(rating_buttons).to_have_count(0)
    screenshot(chat.page, "rated")
    assert dialogs == []
