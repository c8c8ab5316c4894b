"""The web chat widget in Spanish, in headless Chromium against the running assistant: its own words and every reply.

Once embedded with `data-language="es"` in an English browser, once with no attribute in a browser whose
language is es-ES.
"""

from __future__ import annotations

from typing import Callable, List

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.chat_page import ChatPage
from tests.conversations.language_replies import domain_responses, is_reply
from tests.support.stack import Stack

NewContext = Callable[..., BrowserContext]
Screenshot = Callable[[Page, str], object]
BOT_PREFIX = "Soporte ha dicho:"


def open_spanish_page(stack: Stack, page: Page) -> ChatPage:
    """The demo shop page with the widget embedded as a Spanish shop would: `data-language="es"`."""
    return ChatPage(page, stack.service_url + "/?lang=es")


def spoken_text(chat: ChatPage) -> List[str]:
    """What the bot said, each without the prefix that tells screen readers who speaks."""
    texts = []
    for node in chat.bot_messages().all():
        text = node.text_content() or ""
        assert text.startswith(BOT_PREFIX), text
        texts.append(text[len(BOT_PREFIX) :].strip())
    return texts


def answered_in_spanish(text: str) -> bool:
    return any(
        is_reply(text, name, "es")
        for name, variations in domain_responses().items()
        if any(variation.get("condition") for variation in variations)
    )


def expect_spanish_interface(page: Page, title: str) -> None:
    expect(page.get_by_role("dialog", name=title)).to_be_visible()
    expect(page.get_by_test_id("chat-root")).to_have_attribute("lang", "es")
    expect(page.get_by_test_id("chat-status")).to_have_text("Conectado")
    expect(page.get_by_test_id("chat-launcher")).to_have_text("Cerrar el chat")
    expect(page.get_by_test_id("chat-close")).to_have_attribute("aria-label", "Cerrar el chat")
    expect(page.get_by_label("Tu mensaje")).to_have_attribute("placeholder", "Escribe tu mensaje\u2026")
    expect(page.get_by_role("button", name="Enviar")).to_be_visible()
    expect(page.get_by_role("log", name="Conversación")).to_be_attached()


def test_embedded_in_spanish_an_order_status_after_verification_and_a_product_search(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    page = new_context(locale="en-US").new_page()
    chat = open_spanish_page(running_stack, page)
    page.goto(chat.shop_url)
    expect(page.get_by_test_id("chat-launcher")).to_have_text("Chatea con nosotros")
    chat.page.get_by_test_id("chat-launcher").click()
    chat.wait_until_connected()
    expect_spanish_interface(page, "Northwind support")

    asked = chat.say("hola, ¿dónde está mi pedido ORD-100001?")
    chat.wait_for_bot_text("correo")
    chat.say("maria.keller@example.com")
    chat.wait_for_bot_text("DHL")
    chat.say("auriculares por menos de 100 euros")
    chat.wait_for_bot_text("Arcade Headset G5")
    screenshot(page, "conversation")

    replies = spoken_text(chat)
    assert asked and len(replies) >= 3
    assert all(answered_in_spanish(reply) for reply in replies), replies
    assert any(is_reply(reply, "utter_order_status_shipped", "es") for reply in replies), replies
    assert any(is_reply(reply, "utter_product_search_results", "es") for reply in replies), replies
    expect(chat.user_messages().last).to_have_text("Has dicho:auriculares por menos de 100 euros", use_inner_text=False)


def test_a_spanish_browser_without_the_attribute_gets_spanish(
    running_stack: Stack, new_context: NewContext, screenshot: Screenshot
) -> None:
    chat = ChatPage(new_context(locale="es-ES").new_page(), running_stack.service_url + "/").open()
    # The shop page names the chat itself; everything else is the widget's own Spanish.
    expect_spanish_interface(chat.page, "Northwind support")

    chat.say("algo como el x200 pero más barato")
    chat.wait_for_bot_text("Aria Buds Mini")
    screenshot(chat.page, "product-search")

    replies = spoken_text(chat)
    assert replies and all(answered_in_spanish(reply) for reply in replies), replies
    assert not any("Aria X200 Headphones" in reply for reply in replies)
