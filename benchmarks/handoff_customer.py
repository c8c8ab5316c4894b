"""A customer on the web chat socket, as the widget talks to Rasa: a session the server issues, acknowledged messages."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple


class CustomerStepFailed(RuntimeError):
    """The web chat did not answer as the widget expects within the wait limit."""


class WebChatCustomer:
    """Connects, asks for a new session and keeps every bot message that arrives, in order."""

    def __init__(self, rasa_url: str, wait_seconds: float) -> None:
        self.rasa_url = rasa_url
        self.wait_seconds = wait_seconds
        self.session_id = ""
        # (perf_counter at arrival, text) of each bot message
        self.received: List[Tuple[float, str]] = []
        self._arrived = asyncio.Condition()
        self._client: Any = None
        self.leaving: Optional[asyncio.Future[None]] = None

    async def __aenter__(self) -> WebChatCustomer:
        import socketio

        self._client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_confirm(session_id: Any) -> None:
            if not confirmed.done():
                confirmed.set_result(str(session_id))

        self._client.on("session_confirm", on_confirm)
        self._client.on("bot_uttered", self._on_bot_message)
        # python-socketio's websocket client needs a newer aiohttp than Rasa 3.6 pins: long polling
        await self._client.connect(self.rasa_url, transports=["polling"], wait_timeout=self.wait_seconds)
        # the widget's first visit: no id and no proof, so the server issues both and the id is its own
        await self._client.emit("session_request", {})
        self.session_id = await asyncio.wait_for(confirmed, self.wait_seconds)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        # a long-polling client leaves only when its pending poll returns (up to the ping interval): the
        # caller awaits `leaving` when it suits it, not before the next customer
        self.leaving = asyncio.ensure_future(self._client.disconnect())

    async def _on_bot_message(self, message: Any) -> None:
        async with self._arrived:
            self.received.append((time.perf_counter(), str((message or {}).get("text", ""))))
            self._arrived.notify_all()

    async def say(self, text: str) -> Dict[str, Any]:
        """Sends a message; returns the channel's acknowledgement, which comes once the turn was handled."""
        ack = await self._client.call(
            "user_uttered",
            {"message": text, "session_id": self.session_id, "message_id": uuid.uuid4().hex},
            timeout=self.wait_seconds,
        )
        if not isinstance(ack, dict) or ack.get("status") != "received":
            raise CustomerStepFailed(f"the web chat did not take {text!r}: {ack}")
        return ack

    async def wait_for_text(self, part: str, after: int = 0) -> float:
        """Waits for a bot message, from the `after`-th on, that contains `part`; returns its arrival time."""
        deadline = time.monotonic() + self.wait_seconds
        async with self._arrived:
            while True:
                found = _arrival_of(self.received[after:], part)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CustomerStepFailed(
                        f"no message with {part!r} reached the web chat in {self.wait_seconds:.0f} s; "
                        f"it got {[text for _, text in self.received[after:]]}"
                    )
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), left)


def _arrival_of(messages: List[Tuple[float, str]], part: str) -> Optional[float]:
    return next((arrived for arrived, text in messages if part in text), None)
