"""The customer's side of the web chat widget, as a person in a browser uses it."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

BOT_MESSAGES = '[data-testid="chat-message"][data-sender="bot"]'
USER_MESSAGES = '[data-testid="chat-message"][data-sender="user"]'
NOTICES = '[data-testid="chat-message"][data-sender="notice"]'


class ChatPage:
    def __init__(self, page: Page, shop_url: str) -> None:
        self.page = page
        self.shop_url = shop_url

    def open(self) -> ChatPage:
        self.page.goto(self.shop_url)
        self.page.get_by_test_id("chat-launcher").click()
        self.wait_until_connected()
        return self

    def wait_until_connected(self) -> None:
        self.page.wait_for_selector('[data-testid="chat-root"][data-connected="true"]', state="attached")

    @property
    def session_id(self) -> str:
        return str(self.page.evaluate("window.SupportChat.sessionId()"))

    def bot_messages(self) -> Locator:
        return self.page.locator(BOT_MESSAGES)

    def user_messages(self) -> Locator:
        return self.page.locator(USER_MESSAGES)

    def say(self, text: str) -> str:
        """Sends `text` and returns the first bot message that follows it."""
        before = self.bot_messages().count()
        box = self.page.get_by_test_id("chat-input")
        box.fill(text)
        box.press("Enter")
        return self.next_bot_message(before)

    def next_bot_message(self, count_before: int) -> str:
        message = self.bot_messages().nth(count_before)
        message.wait_for()
        return message.inner_text()

    def wait_for_bot_text(self, text: str) -> None:
        expect(self.page.locator(BOT_MESSAGES, has_text=text).first).to_be_visible()

    def wait_for_notice(self, text: str) -> None:
        """A line about the chat itself, such as an agent joining, shown apart from the bot's replies."""
        expect(self.page.locator(NOTICES, has_text=text).first).to_be_visible()

    def transcript(self) -> list:
        return [m.strip() for m in self.page.get_by_test_id("chat-message").all_inner_texts()]
