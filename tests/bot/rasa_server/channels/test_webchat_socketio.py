"""The web chat's socket.io channel on the running assistant: rooms, acknowledgements and agent replies."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Tuple

import aiohttp

from tests.support.stack import Stack
from tests.support.webchat_client import ChatTab, open_tab
from tests.support.webchat_client import run_coroutine as _run
from tests.support.webchat_client import until as _until


async def _send(tab: ChatTab, payload: Any) -> Dict[str, Any]:
    return await tab.send(payload)


def test_every_tab_of_a_session_gets_the_replies_and_the_other_tabs_messages(running_stack: Stack) -> None:
    async def scenario() -> None:
        first_inbox: List[Tuple[str, Any]] = []
        second_inbox: List[Tuple[str, Any]] = []
        first = await open_tab(running_stack.rasa_url, inbox=first_inbox)
        second = await open_tab(running_stack.rasa_url, first.session_id, first.session_proof, second_inbox)
        try:
            assert second.session_id == first.session_id
            ack = await _send(first, {"message": "hello", "message_id": "m-1"})
            assert ack == {"status": "received", "message_id": "m-1"}
            await _until(lambda: any(kind == "bot" for kind, _ in second_inbox))
            assert ("echo", {"text": "hello", "message_id": "m-1"}) in second_inbox
            assert not any(kind == "echo" for kind, _ in first_inbox)
            assert [m for k, m in first_inbox if k == "bot"] == [m for k, m in second_inbox if k == "bot"]
        finally:
            await first.close()
            await second.close()

    _run(scenario())


def test_a_resent_message_is_processed_once(running_stack: Stack) -> None:
    async def scenario() -> int:
        client = await open_tab(running_stack.rasa_url)
        session_id = client.session_id
        try:
            message = {"message": "hello", "message_id": "resent-1"}
            assert (await _send(client, message))["status"] == "received"
            assert (await _send(client, message))["status"] == "duplicate"
        finally:
            await client.close()
        async with (
            aiohttp.ClientSession(headers=running_stack.rasa_api_headers) as http,
            http.get(running_stack.tracker_url(session_id)) as response,
        ):
            tracker = await response.json()
        return sum(1 for event in tracker["events"] if event["event"] == "user")

    assert _run(scenario()) == 1


def test_malformed_messages_are_refused_with_a_reason(running_stack: Stack) -> None:
    async def scenario() -> List[Dict[str, Any]]:
        client = await open_tab(running_stack.rasa_url)
        try:
            return [
                await _send(client, "not an object"),
                await _send(client, {"message": "   "}),
                await _send(client, {"message": "x" * 2001}),
                await _send(client, {"message": 42}),
            ]
        finally:
            await client.close()

    assert [ack["reason"] for ack in _run(scenario())] == ["malformed", "empty", "too_long", "empty"]


def test_a_message_on_a_fresh_socket_without_session_id_uses_the_confirmed_session(running_stack: Stack) -> None:
    async def scenario() -> List[Tuple[str, Any]]:
        inbox: List[Tuple[str, Any]] = []
        client = await open_tab(running_stack.rasa_url, inbox=inbox)
        try:
            assert (await _send(client, {"message": "hello"}))["status"] == "received"
            await _until(lambda: bool(inbox))
        finally:
            await client.close()
        return inbox

    assert _run(scenario())[0][0] == "bot"


def test_an_agent_reply_through_the_tracker_reaches_the_open_tab(running_stack: Stack) -> None:
    async def scenario() -> List[Tuple[str, Any]]:
        inbox: List[Tuple[str, Any]] = []
        client = await open_tab(running_stack.rasa_url, inbox=inbox)
        session_id = client.session_id
        try:
            await _send(client, {"message": "hello", "message_id": "a"})
            async with (
                aiohttp.ClientSession(headers=running_stack.rasa_api_headers) as http,
                http.post(
                    f"{running_stack.rasa_url}/conversations/{session_id}/tracker/events",
                    params={"output_channel": "latest", "execute_side_effects": "true"},
                    json={"event": "bot", "text": "Dana here: I can see your order."},
                ) as response,
            ):
                assert response.status == 200
            await _until(lambda: ("bot", {"text": "Dana here: I can see your order."}) in inbox)
        finally:
            await client.close()
        return inbox

    assert ("bot", {"text": "Dana here: I can see your order."}) in _run(scenario())


def test_a_handoff_notice_reaches_the_tab_as_one_message_with_its_payload(running_stack: Stack) -> None:
    notice = {
        "text": "Dana from our support team has joined the chat.",
        "custom": {"handoff": {"event": "agent_joined", "agent": "Dana"}},
    }

    async def scenario() -> List[Tuple[str, Any]]:
        inbox: List[Tuple[str, Any]] = []
        client = await open_tab(running_stack.rasa_url, inbox=inbox)
        session_id = client.session_id
        try:
            await _send(client, {"message": "hello", "message_id": "a"})
            await _until(lambda: any(kind == "bot" for kind, _ in inbox))
            async with (
                aiohttp.ClientSession(headers=running_stack.rasa_api_headers) as http,
                http.post(
                    f"{running_stack.rasa_url}/conversations/{session_id}/tracker/events",
                    params={"output_channel": "latest", "execute_side_effects": "true"},
                    json={"event": "bot", "text": notice["text"], "data": {"custom": notice["custom"]}},
                ) as response,
            ):
                assert response.status == 200
            await _until(lambda: ("bot", notice) in inbox)
            # Give a second, separate message for the payload the chance to arrive before counting.
            await asyncio.sleep(1)
        finally:
            await client.close()
        return inbox

    inbox = _run(scenario())
    assert [message for kind, message in inbox if kind == "bot" and "custom" in message] == [notice]
    assert ("bot", {"text": notice["text"]}) not in inbox
