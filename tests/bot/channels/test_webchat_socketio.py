"""The web chat's socket.io channel on the running assistant: rooms, acknowledgements and agent replies."""
from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from typing import Any, Dict, List, Tuple

import aiohttp
import socketio

from tests.support.stack import Stack

# python-socketio's websocket client needs a newer aiohttp than Rasa allows; long-polling reaches the
# same server-side handlers.
TRANSPORTS = ["polling"]


def _run(coroutine: Any) -> Any:
    """Runs a coroutine on a loop of its own: the browser tests keep an event loop running in this thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _tab(rasa_url: str, session_id: str, inbox: List[Tuple[str, Any]]) -> socketio.AsyncClient:
    client = socketio.AsyncClient()
    client.on("bot_uttered", lambda message: inbox.append(("bot", message)))
    client.on("user_echo", lambda message: inbox.append(("echo", message)))
    confirmed = asyncio.Event()
    client.on("session_confirm", lambda _session: confirmed.set())
    await client.connect(rasa_url, transports=TRANSPORTS)
    await client.emit("session_request", {"session_id": session_id})
    await asyncio.wait_for(confirmed.wait(), 30)
    return client


async def _send(client: socketio.AsyncClient, payload: Any) -> Dict[str, Any]:
    return await client.call("user_uttered", payload, timeout=60)


async def _until(condition: Any, timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the expected socket.io event did not arrive")
        await asyncio.sleep(0.05)


def test_every_tab_of_a_session_gets_the_replies_and_the_other_tabs_messages(running_stack: Stack) -> None:
    async def scenario() -> None:
        session_id = uuid.uuid4().hex
        first_inbox: List[Tuple[str, Any]] = []
        second_inbox: List[Tuple[str, Any]] = []
        first = await _tab(running_stack.rasa_url, session_id, first_inbox)
        second = await _tab(running_stack.rasa_url, session_id, second_inbox)
        try:
            ack = await _send(first, {"message": "hello", "session_id": session_id, "message_id": "m-1"})
            assert ack == {"status": "received", "message_id": "m-1"}
            await _until(lambda: any(kind == "bot" for kind, _ in second_inbox))
            assert ("echo", {"text": "hello", "message_id": "m-1"}) in second_inbox
            assert not any(kind == "echo" for kind, _ in first_inbox)
            assert [m for k, m in first_inbox if k == "bot"] == [m for k, m in second_inbox if k == "bot"]
        finally:
            await first.disconnect()
            await second.disconnect()

    _run(scenario())


def test_a_resent_message_is_processed_once(running_stack: Stack) -> None:
    async def scenario() -> int:
        session_id = uuid.uuid4().hex
        client = await _tab(running_stack.rasa_url, session_id, [])
        try:
            message = {"message": "hello", "session_id": session_id, "message_id": "resent-1"}
            assert (await _send(client, message))["status"] == "received"
            assert (await _send(client, message))["status"] == "duplicate"
        finally:
            await client.disconnect()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{running_stack.rasa_url}/conversations/{session_id}/tracker") as response:
                tracker = await response.json()
        return sum(1 for event in tracker["events"] if event["event"] == "user")

    assert _run(scenario()) == 1


def test_malformed_messages_are_refused_with_a_reason(running_stack: Stack) -> None:
    async def scenario() -> List[Dict[str, Any]]:
        session_id = uuid.uuid4().hex
        client = await _tab(running_stack.rasa_url, session_id, [])
        try:
            return [
                await _send(client, "not an object"),
                await _send(client, {"message": "   ", "session_id": session_id}),
                await _send(client, {"message": "x" * 2001, "session_id": session_id}),
                await _send(client, {"message": 42, "session_id": session_id}),
            ]
        finally:
            await client.disconnect()

    assert [ack["reason"] for ack in _run(scenario())] == ["malformed", "empty", "too_long", "empty"]


def test_a_message_on_a_fresh_socket_without_session_id_uses_the_confirmed_session(running_stack: Stack) -> None:
    async def scenario() -> List[Tuple[str, Any]]:
        session_id = uuid.uuid4().hex
        inbox: List[Tuple[str, Any]] = []
        client = await _tab(running_stack.rasa_url, session_id, inbox)
        try:
            assert (await _send(client, {"message": "hello"}))["status"] == "received"
            await _until(lambda: bool(inbox))
        finally:
            await client.disconnect()
        return inbox

    assert _run(scenario())[0][0] == "bot"


def test_an_agent_reply_through_the_tracker_reaches_the_open_tab(running_stack: Stack) -> None:
    async def scenario() -> List[Tuple[str, Any]]:
        session_id = uuid.uuid4().hex
        inbox: List[Tuple[str, Any]] = []
        client = await _tab(running_stack.rasa_url, session_id, inbox)
        try:
            await _send(client, {"message": "hello", "session_id": session_id, "message_id": "a"})
            async with aiohttp.ClientSession() as http:
                async with http.post(
                    f"{running_stack.rasa_url}/conversations/{session_id}/tracker/events",
                    params={"output_channel": "latest", "execute_side_effects": "true"},
                    json={"event": "bot", "text": "Dana here: I can see your order."},
                ) as response:
                    assert response.status == 200
            await _until(lambda: ("bot", {"text": "Dana here: I can see your order."}) in inbox)
        finally:
            await client.disconnect()
        return inbox

    assert ("bot", {"text": "Dana here: I can see your order."}) in _run(scenario())


def test_a_handoff_notice_reaches_the_tab_as_one_message_with_its_payload(running_stack: Stack) -> None:
    notice = {
        "text": "Dana from our support team has joined the chat.",
        "custom": {"handoff": {"event": "agent_joined", "agent": "Dana"}},
    }

    async def scenario() -> List[Tuple[str, Any]]:
        session_id = uuid.uuid4().hex
        inbox: List[Tuple[str, Any]] = []
        client = await _tab(running_stack.rasa_url, session_id, inbox)
        try:
            await _send(client, {"message": "hello", "session_id": session_id, "message_id": "a"})
            await _until(lambda: any(kind == "bot" for kind, _ in inbox))
            async with aiohttp.ClientSession() as http:
                async with http.post(
                    f"{running_stack.rasa_url}/conversations/{session_id}/tracker/events",
                    params={"output_channel": "latest", "execute_side_effects": "true"},
                    json={"event": "bot", "text": notice["text"], "data": {"custom": notice["custom"]}},
                ) as response:
                    assert response.status == 200
            await _until(lambda: ("bot", notice) in inbox)
            # Give a second, separate message for the payload the chance to arrive before counting.
            await asyncio.sleep(1)
        finally:
            await client.disconnect()
        return inbox

    inbox = _run(scenario())
    assert [message for kind, message in inbox if kind == "bot" and "custom" in message] == [notice]
    assert ("bot", {"text": notice["text"]}) not in inbox
