"""The web chat widget on the demo shop page, driven in headless Chromium against the running assistant."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable

import jwt
import requests
import yaml
from playwright.sync_api import BrowserContext, Page, expect

from bot.shared.settings import PROJECT_ROOT
from bot.shared.webchat.identity import AUDIENCE, METADATA_KEY, issue_shopper_token, verify_shopper_token
from tests.browser.agent_desk import AgentDesk
from tests.browser.chat_page import ChatPage
from tests.support.stack import TEST_JWT_SECRET, Stack

NewContext = Callable[..., BrowserContext]
Screenshot = Callable[[Page, str], object]


def _response_text(name: str) -> str:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    return domain["responses"][name][0]["text"]


def _user_events(stack: Stack, conversation_id: str) -> list:
    tracker = requests.get(stack.tracker_url(conversation_id), headers=stack.rasa_api_headers, timeout=30).json()
    return [event for event in tracker["events"] if event["event"] == "user"]


# Marks every message element on screen with a property only that DOM node carries (a re-rendered log
# would lose it) and counts message elements taken out of the log from now on.
MARK_MESSAGES = """() => {
  const log = document.querySelector('[data-testid="chat-log"]');
  const nodes = [...log.querySelectorAll('[data-testid="chat-message"]')];
  nodes.forEach((node, index) => { node.keptMark = index; });
  window.removedMessages = 0;
  new MutationObserver((records) => {
    for (const record of records) window.removedMessages += record.removedNodes.length;
  }).observe(log, { childList: true });
  return nodes.length;
}"""
MARKS_ON_SCREEN = """() => [...document.querySelectorAll('[data-testid="chat-message"]')]
  .map((node) => (node.keptMark === undefined ? null : node.keptMark))"""
# What the page's own scripts would add to window, read before any of them runs.
RECORD_WINDOW_NAMES = "window.namesBeforeScripts = Object.getOwnPropertyNames(window);"


def _post_bot_events(stack: Stack, conversation_id: str, events: list) -> None:
    response = requests.post(
        f"{stack.rasa_url}/conversations/{conversation_id}/tracker/events",
        params={"output_channel": "latest", "execute_side_effects": "true"},
        headers=stack.rasa_api_headers,
        json=events,
        timeout=30,
    )
    assert response.status_code == 200, response.text


def test_the_widget_opens_and_closes_with_the_keyboard(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    page = new_context().new_page()
    page.goto(running_stack.service_url + "/")
    launcher = page.get_by_test_id("chat-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")

    launcher.focus()
    page.keyboard.press("Enter")

    panel = page.get_by_role("dialog", name="Northwind support")
    expect(panel).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(page.get_by_role("log", name="Conversation")).to_be_attached()
    expect(page.get_by_test_id("chat-status")).to_have_text("Connected")
    screenshot(page, "open")

    page.keyboard.press("Escape")

    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()


def test_a_conversation_with_buttons(running_stack: Stack, new_context: NewContext, screenshot: Screenshot) -> None:
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    chat.say("I want to cancel my order ORD-100002")
    chat.say("tom.becker@example.com")
    choices = chat.page.get_by_test_id("chat-choice")
    expect(choices.first).to_be_visible()
    titles = choices.all_inner_texts()
    assert len(titles) >= 2
    screenshot(chat.page, "buttons")
    keep_it = next(title for title in titles if title.lower().startswith("no"))
    before = chat.bot_messages().count()

    chat.page.get_by_role("button", name=keep_it).click()

    expect(chat.user_messages().last).to_have_text(f"You said:{keep_it}", use_inner_text=False)
    chat.next_bot_message(before)
    expect(choices).to_have_count(0)
    assert _user_events(running_stack, chat.session_id)[-1]["metadata"]["display_text"] == keep_it


def test_a_reload_and_a_second_tab_continue_the_conversation(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    context = new_context()
    chat = ChatPage(context.new_page(), running_stack.service_url + "/").open()
    chat.say("hello")
    before_reload = chat.transcript()
    session_id = chat.session_id

    chat.page.reload()
    chat.wait_until_connected()

    assert chat.session_id == session_id
    expect(chat.page.get_by_test_id("chat-panel")).to_be_visible()
    assert chat.transcript() == before_reload
    screenshot(chat.page, "after-reload")

    second_tab = ChatPage(context.new_page(), running_stack.service_url + "/")
    second_tab.page.goto(second_tab.shop_url)
    second_tab.wait_until_connected()
    assert second_tab.session_id == session_id
    assert second_tab.transcript() == before_reload
    before = chat.bot_messages().count()
    second_tab.say("thank you")

    expect(chat.user_messages().last).to_contain_text("thank you")
    chat.next_bot_message(before)


def test_an_agent_reply_arrives_live_during_a_handoff(
    running_stack: Stack, agent_desk: AgentDesk, new_context: NewContext, screenshot: Screenshot
) -> None:
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    chat.say("I want to talk to a human")
    handoff = agent_desk.wait_for_handoff(chat.session_id)
    agent_desk.claim(handoff["id"])
    chat.wait_for_notice("Dana")
    reply = f"Hi, Dana here. I'm looking at your order now ({uuid.uuid4().hex[:6]})."

    agent_desk.reply(handoff["id"], reply)

    chat.wait_for_bot_text(reply)
    screenshot(chat.page, "agent-reply")
    agent_desk.hand_back(handoff["id"])


def test_a_signed_in_shoppers_token_travels_with_every_message(running_stack: Stack, new_context: NewContext) -> None:
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    token = issue_shopper_token("maria.keller@example.com", TEST_JWT_SECRET)
    chat.page.evaluate("token => window.SupportChat.setShopperToken(token)", token)

    chat.say("hello")

    metadata = _user_events(running_stack, chat.session_id)[-1]["metadata"]
    assert verify_shopper_token(metadata[METADATA_KEY], TEST_JWT_SECRET) == "maria.keller@example.com"


def test_a_forged_token_gives_no_access_to_an_order(running_stack: Stack, new_context: NewContext) -> None:
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    now = datetime.now(timezone.utc)
    forged = jwt.encode(
        {"email": "maria.keller@example.com", "aud": AUDIENCE, "iat": now, "exp": now + timedelta(hours=1)},
        "a-secret-the-shop-never-issued",
        algorithm="HS256",
    )
    chat.page.evaluate("token => window.SupportChat.setShopperToken(token)", forged)

    reply = chat.say("where is my order ORD-100001?")

    assert reply.endswith(_response_text("utter_ask_email").format(order_number="ORD-100001"))
    assert "DHL" not in " ".join(chat.transcript())


def test_the_chat_fills_a_phone_screen(running_stack: Stack, new_context: NewContext, screenshot: Screenshot) -> None:
    context = new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    chat = ChatPage(context.new_page(), running_stack.service_url + "/").open()

    box = chat.page.get_by_test_id("chat-panel").bounding_box()
    assert box is not None and box["width"] == 375 and box["height"] == 667
    reply = chat.say("hello")
    assert reply.strip()
    send = chat.page.get_by_test_id("chat-send").bounding_box()
    assert send is not None and send["height"] >= 44 and send["x"] + send["width"] <= 375
    screenshot(chat.page, "phone")


def test_messages_written_during_a_network_drop_are_sent_after_reconnecting(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    context = new_context()
    chat = ChatPage(context.new_page(), running_stack.service_url + "/").open()
    chat.say("hello")
    expect(chat.page.get_by_test_id("chat-typing")).to_be_hidden()
    before = chat.bot_messages().count()
    marked = chat.page.evaluate(MARK_MESSAGES)

    context.set_offline(True)
    expect(chat.page.get_by_test_id("chat-status")).to_contain_text("Reconnecting")
    box = chat.page.get_by_test_id("chat-input")
    box.fill("where is my order?")
    box.press("Enter")
    screenshot(chat.page, "offline")
    context.set_offline(False)

    chat.next_bot_message(before)
    expect(chat.page.get_by_test_id("chat-status")).to_have_text("Connected")
    texts = [event["text"] for event in _user_events(running_stack, chat.session_id)]
    assert texts.count("where is my order?") == 1
    # the history read after reconnecting agreed with the screen: nothing was drawn again
    assert chat.page.evaluate(MARKS_ON_SCREEN)[:marked] == list(range(marked))
    assert chat.page.evaluate("window.removedMessages") == 0


def test_bot_messages_show_images_and_only_safe_links_and_never_markup(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    chat.say("hello")
    text = "See [the guide](https://example.com/guide), [this](javascript:alert(1)) and <b>bold</b>."

    _post_bot_events(
        running_stack,
        chat.session_id,
        [{"event": "bot", "text": text}, {"event": "bot", "data": {"image": "https://example.com/x200.png"}}],
    )

    log = chat.page.get_by_test_id("chat-log")
    guide = log.get_by_role("link", name="the guide")
    expect(guide).to_have_attribute("href", "https://example.com/guide")
    expect(guide).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(log.locator("img[src='https://example.com/x200.png']")).to_have_count(1)
    assert log.locator("a[href^='javascript']").count() == 0
    assert log.locator("b").count() == 0
    expect(log).to_contain_text("<b>bold</b>")
    screenshot(chat.page, "rich")


def test_new_messages_are_appended_and_those_on_screen_stay_the_same_nodes(
    running_stack: Stack, new_context: NewContext
) -> None:
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    chat.say("hello")
    expect(chat.page.get_by_test_id("chat-typing")).to_be_hidden()
    marked = chat.page.evaluate(MARK_MESSAGES)
    bots_before = chat.bot_messages().count()
    first, second = (f"Appended reply {n} ({uuid.uuid4().hex[:6]})" for n in (1, 2))

    _post_bot_events(
        running_stack, chat.session_id, [{"event": "bot", "text": first}, {"event": "bot", "text": second}]
    )

    expect(chat.bot_messages()).to_have_count(bots_before + 2)
    assert marked >= 2
    assert chat.page.evaluate(MARKS_ON_SCREEN) == [*range(marked), None, None]
    assert chat.page.evaluate("window.removedMessages") == 0
    assert chat.page.get_by_test_id("chat-message").all_text_contents()[-2:] == [
        f"Support said:{first}",
        f"Support said:{second}",
    ]


def test_the_widget_adds_nothing_to_the_shop_page_but_its_api(running_stack: Stack, new_context: NewContext) -> None:
    page = new_context().new_page()
    page.add_init_script(RECORD_WINDOW_NAMES)
    chat = ChatPage(page, running_stack.service_url + "/").open()

    added = page.evaluate(
        "Object.getOwnPropertyNames(window).filter((name) => !window.namesBeforeScripts.includes(name))"
    )

    # `io` is the socket.io client the widget loads when the page has none of its own.
    assert sorted(set(added) - {"namesBeforeScripts"}) == ["SupportChat", "io"]
    assert chat.session_id
