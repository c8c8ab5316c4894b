"""Local stand-ins for the platforms' send APIs (Messenger, Twilio, Telegram, Slack), on loopback only."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from aiohttp import web

MESSENGER_PREFIX = "/messenger"
TELEGRAM_PREFIX = "/telegram"
SLACK_PREFIX = "/slack/"


@dataclass(frozen=True)
class SentMessage:
    """One call the assistant made to a platform's API."""

    platform: str
    recipient: str
    text: str
    payload: Dict[str, Any]


class PlatformStandIn:
    """An aiohttp server in its own thread that records what the assistant sends and answers like the platform."""

    def __init__(self) -> None:
        self.sent: List[SentMessage] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._telegram_message_id = 0
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    def start(self) -> PlatformStandIn:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        if not ready.wait(timeout=30):
            raise RuntimeError("the platform stand-in did not start")
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def messages_to(self, platform: str, recipient: str) -> List[SentMessage]:
        with self._lock:
            return [m for m in self.sent if m.platform == platform and m.recipient == recipient]

    def wait_for(
        self, platform: str, recipient: str, condition: Callable[[SentMessage], bool], timeout: float = 60
    ) -> SentMessage:
        """The first message to `recipient` meeting `condition`; waits as the reply is asynchronous."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages_to(platform, recipient):
                if condition(message):
                    return message
            time.sleep(0.1)
        seen = [m.text for m in self.messages_to(platform, recipient)]
        raise AssertionError(f"no matching {platform} message to {recipient}; sent so far: {seen}")

    def _record(self, platform: str, recipient: Any, text: Any, payload: Dict[str, Any]) -> None:
        with self._lock:
            self.sent.append(SentMessage(platform, str(recipient), str(text or ""), payload))

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post(MESSENGER_PREFIX + "/me/messages", self._messenger)
        app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", self._twilio)
        app.router.add_post(TELEGRAM_PREFIX + "/bot{token}/{method}", self._telegram)
        app.router.add_post(SLACK_PREFIX + "{method}", self._slack)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        ready.set()
        self._loop.run_forever()

    async def _messenger(self, request: web.Request) -> web.Response:
        if not request.query.get("access_token"):
            return web.json_response({"error": {"message": "no access token"}}, status=401)
        body = await request.json()
        message = body.get("message") or {}
        text = message.get("text") or ((message.get("attachment") or {}).get("payload") or {}).get("text")
        if "sender_action" not in body:
            self._record("messenger", body["recipient"]["id"], text, body)
        return web.json_response({"recipient_id": body["recipient"]["id"], "message_id": "m.standin"})

    async def _twilio(self, request: web.Request) -> web.Response:
        form = await request.post()
        self._record("twilio", form.get("To"), form.get("Body"), dict(form))
        return web.json_response(
            {
                "sid": "SM" + "0" * 32,
                "account_sid": request.match_info["account"],
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
            },
            status=201,
        )

    async def _telegram(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = dict(await request.post()) if request.content_type != "application/json" else await request.json()
        if method == "sendMessage":
            self._telegram_message_id += 1
            markup = form.get("reply_markup")
            payload = {**form, "reply_markup": json.loads(markup) if isinstance(markup, str) else markup}
            self._record("telegram", form.get("chat_id"), form.get("text"), payload)
            return web.json_response(
                {
                    "ok": True,
                    "result": {
                        "message_id": self._telegram_message_id,
                        "date": int(time.time()),
                        "chat": {"id": int(form.get("chat_id", 0)), "type": "private"},
                        "text": form.get("text"),
                    },
                }
            )
        return web.json_response({"ok": True, "result": True})

    async def _slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(await request.post())
        if method == "chat.postMessage":
            self._record("slack", body.get("channel"), body.get("text"), body)
        return web.json_response({"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}"})
