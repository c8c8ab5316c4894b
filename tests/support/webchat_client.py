"""A web chat tab as python-socketio sees it: asks for a session, keeps the proof the server issues."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import socketio

from tests.support.event_loop import run_coroutine

__all__ = ["ChatTab", "TRANSPORTS", "open_tab", "run_coroutine", "until"]

# python-socketio's websocket client needs a newer aiohttp than Rasa allows; long-polling reaches the
# same server-side handlers.
TRANSPORTS = ["polling"]


@dataclass
class ChatTab:
    client: socketio.AsyncClient
    session_id: str
    session_proof: str
    inbox: List[Tuple[str, Any]] = field(default_factory=list)

    async def send(self, payload: Any) -> Dict[str, Any]:
        return await self.client.call("user_uttered", payload, timeout=60)

    async def close(self) -> None:
        await self.client.disconnect()


async def open_tab(
    rasa_url: str,
    session_id: Optional[str] = None,
    session_proof: Optional[str] = None,
    inbox: Optional[List[Tuple[str, Any]]] = None,
    request: Optional[Dict[str, Any]] = None,
) -> ChatTab:
    """Connects and asks for `session_id` with `session_proof` (or, with neither, for a new session)."""
    received: List[Tuple[str, Any]] = [] if inbox is None else inbox
    client = socketio.AsyncClient()
    client.on("bot_uttered", lambda message: received.append(("bot", message)))
    client.on("user_echo", lambda message: received.append(("echo", message)))
    issued: Dict[str, Any] = {}
    confirmed = asyncio.Event()
    client.on("session_proof", lambda data: issued.update(data))

    def on_confirm(session: str) -> None:
        issued["confirmed"] = session
        confirmed.set()

    client.on("session_confirm", on_confirm)
    await client.connect(rasa_url, transports=TRANSPORTS)
    if request is None:
        request = {} if session_id is None else {"session_id": session_id, "session_proof": session_proof}
    await client.emit("session_request", request)
    await asyncio.wait_for(confirmed.wait(), 30)
    assert issued.get("session_id") == issued["confirmed"], "the proof must name the confirmed session"
    return ChatTab(client, issued["confirmed"], issued["session_proof"], received)


async def until(condition: Any, timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the expected socket.io event did not arrive")
        await asyncio.sleep(0.05)
