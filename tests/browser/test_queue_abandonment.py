"""A customer who closes the web chat while waiting for a person is recorded as abandoned by the running service."""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

from playwright.sync_api import BrowserContext
from sqlalchemy import create_engine, select

from bot.service.reports import tables as schema
from tests.browser.agent_desk import AgentDesk
from tests.browser.chat_page import ChatPage
from tests.support.stack import Stack

NewContext = Callable[..., BrowserContext]


def _wait_for(read: Callable[[], Optional[Any]], timeout: float = 90) -> Optional[Any]:
    """The first non-empty answer of `read` within the timeout (the service sweeps every 15 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = read()
        if found:
            return found
        time.sleep(0.5)
    return None


def test_closing_the_page_while_queued_is_abandoning_the_queue(
    running_stack: Stack, agent_desk: AgentDesk, new_context: NewContext
) -> None:
    agent_desk.go_online()
    chat = ChatPage(new_context().new_page(), running_stack.service_url + "/").open()
    chat.say("I want to talk to a human")
    handoff = agent_desk.wait_for_handoff(chat.session_id)
    engine = create_engine(running_stack.database_url, future=True)
    presence, abandonments = schema.chat_presence, schema.abandonments

    def seen() -> Any:
        with engine.connect() as connection:
            return connection.execute(
                select(presence.c.seen_at, presence.c.left_at).where(presence.c.conversation_id == chat.session_id)
            ).first()

    def abandoned() -> Any:
        with engine.connect() as connection:
            return connection.execute(
                select(abandonments.c.how).where(abandonments.c.handoff_id == handoff["id"])
            ).first()

    try:
        heartbeat = _wait_for(seen)
        assert heartbeat is not None and heartbeat.left_at is None, "the widget sent no heartbeat while queued"
        assert abandoned() is None

        chat.page.close(run_before_unload=True)

        recorded = _wait_for(abandoned)
        assert recorded is not None and recorded.how == "closed_chat"
    finally:
        engine.dispose()
