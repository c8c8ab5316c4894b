"""The transcript a reload shows, built from the events Rasa keeps in the tracker."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.service.webchat.history import transcript_from_events
from bot.shared.webchat.session_proof import is_valid_session_id


def test_user_and_bot_messages_come_back_in_order_with_their_choices() -> None:
    events = [
        ActionExecuted("action_session_start").as_dict(),
        SessionStarted().as_dict(),
        UserUttered("cancel ORD-100002", {"name": "cancel_order", "confidence": 0.9}).as_dict(),
        SlotSet("order_number", "ORD-100002").as_dict(),
        BotUttered(
            "Do you want me to cancel it?",
            {"buttons": [{"title": "Yes, cancel it", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]},
        ).as_dict(),
        UserUttered("/affirm", {"name": "affirm"}, metadata={"display_text": "Yes, cancel it"}).as_dict(),
        BotUttered("Done.").as_dict(),
    ]
    transcript = transcript_from_events(events)
    assert [(entry.sender, entry.text) for entry in transcript] == [
        ("user", "cancel ORD-100002"),
        ("bot", "Do you want me to cancel it?"),
        ("user", "Yes, cancel it"),
        ("bot", "Done."),
    ]
    assert transcript[1].buttons == [
        {"title": "Yes, cancel it", "payload": "/affirm"},
        {"title": "No", "payload": "/deny"},
    ]


def test_internal_triggers_and_empty_events_are_left_out() -> None:
    events = [
        UserUttered.create_external("EXTERNAL_handback").as_dict(),
        BotUttered("").as_dict(),
        BotUttered("Welcome back!").as_dict(),
        {"event": "user", "text": None},
        "not an event",
    ]
    assert [entry.text for entry in transcript_from_events(events)] == ["Welcome back!"]


def test_images_and_custom_payloads_are_kept() -> None:
    events = [
        BotUttered(None, {"image": "https://shop.example.com/x200.png"}).as_dict(),
        BotUttered(None, {"custom": {"handoff": {"event": "agent_joined", "agent": "Dana"}}}).as_dict(),
    ]
    first, second = transcript_from_events(events)
    assert first.image == "https://shop.example.com/x200.png"
    assert second.custom == {"handoff": {"event": "agent_joined", "agent": "Dana"}}


def test_session_ids_are_checked_before_asking_rasa() -> None:
    assert is_valid_session_id("0123456789abcdef0123456789abcdef")
    assert not is_valid_session_id("short")
    assert not is_valid_session_id("../../etc/passwd")
    assert not is_valid_session_id("a" * 65)


async def test_a_slow_rasa_server_makes_the_history_unavailable_not_an_error() -> None:
    import asyncio

    import aiohttp
    from aiohttp import web

    from bot.service.webchat.history import HistoryUnavailable, fetch_transcript

    async def slow_tracker(_: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"events": []})

    app = web.Application()
    app.router.add_get("/conversations/{id}/tracker", slow_tracker)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.2)) as session:
            with pytest.raises(HistoryUnavailable):
                await fetch_transcript(session, f"http://127.0.0.1:{port}", "0123456789abcdef", "token")
    finally:
        await runner.cleanup()
