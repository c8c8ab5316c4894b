"""The socket.io channel the web chat widget talks to, with working session persistence.

Rasa's own `socketio` channel calls `AsyncServer.enter_room` without awaiting it (a coroutine since
python-socketio 5.10), so with `session_persistence` a reconnecting browser never joins its
conversation's room and misses every reply sent to that room, agent replies included. This channel
keeps Rasa's wire format (`session_request`, `session_confirm`, `user_uttered`, `bot_uttered`) and
adds what the widget relies on: acknowledged messages, de-duplication of re-sent messages, and an
echo of the customer's own messages to their other tabs.

A conversation belongs to the browser the server gave it to: `session_request` continues a session only
when it carries the proof issued with that id (bot/shared/webchat/session_proof.py), and otherwise starts a new
one, sending its proof in a `session_proof` event before Rasa's `session_confirm`. Messages always go to
the session of their socket, whatever id they name. Only the shop's origins may connect from a browser,
and each session may send a bounded number of messages a minute.

With REDIS_URL set (a scaled deployment, docs/scaling.md) several Rasa processes serve the widget:
python-socketio's Redis manager carries a reply to whichever process holds the customer's socket, and
the ids of messages already taken are kept in Redis, so a message re-sent to another process after a
reconnect is still answered once.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text

import redis.asyncio as aioredis  # type: ignore[import-untyped]
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from bot.rasa_server.channels.customer_channel import CustomerChannel, add_health_route
from bot.rasa_server.channels.customer_text import MAX_MESSAGE_LENGTH
from bot.shared.security.rate_limit import SlidingWindowLimiter
from bot.shared.webchat.session_proof import new_session, proof_for, proof_matches

logger = logging.getLogger(__name__)

SESSION_SECRET_VARIABLE = "WEBCHAT_SESSION_SECRET"
REDIS_URL_VARIABLE = "REDIS_URL"
REDIS_KEY_PREFIX_VARIABLE = "REDIS_KEY_PREFIX"
# long enough to outlast the widget's reconnect and re-send of an unacknowledged message
SEEN_MESSAGE_SECONDS = 24 * 3600
SESSION_PROOF_EVENT = "session_proof"
MESSAGES_PER_MINUTE = 30
MESSAGE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
REMEMBERED_MESSAGE_IDS = 5000
USER_ECHO_EVENT = "user_echo"
# Parts of a bot message that Rasa sends on their own; a message with none of them besides text is a notice.
_RICH_PARTS = ("buttons", "quick_replies", "image", "attachment", "elements")


class WebchatOutput(SocketIOOutput):
    """Sends replies to every tab of a conversation; buttons stay buttons and custom payloads stay whole."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        # Rasa sends a text and its custom payload as two messages; a notice (text + custom only) is one line
        # in the widget and one entry in the history, so it goes as one message.
        custom = message.get("custom")
        if message.get("text") and isinstance(custom, dict) and not any(message.get(part) for part in _RICH_PARTS):
            await self._send_message(recipient_id, {"text": message["text"], "custom": custom})
            return
        await super().send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        # One message per bot utterance, as the tracker keeps it, so a reload shows the same bubbles.
        await self._send_message(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"text": text, "buttons": _clean_choices(buttons)})

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"text": text, "quick_replies": _clean_choices(quick_replies)})

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebchatSocketIOInput(CustomerChannel):
    """socket.io input for the web chat widget; registered under Rasa's channel name `socketio`."""

    channel_name = "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            session_persistence=bool(credentials.get("session_persistence", True)),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            metadata_key=credentials.get("metadata_key", "metadata"),
            redis_url=credentials.get("redis_url") or os.environ.get(REDIS_URL_VARIABLE) or None,
            allowed_origins=credentials.get("allowed_origins") or (),
            session_secret=os.environ.get(SESSION_SECRET_VARIABLE),
            redis_key_prefix=os.environ.get(REDIS_KEY_PREFIX_VARIABLE, "shop"),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        session_persistence: bool = True,
        socketio_path: Text = "/socket.io",
        metadata_key: Text = "metadata",
        redis_url: Optional[Text] = None,
        allowed_origins: Sequence[str] = (),
        session_secret: Optional[str] = None,
        redis_key_prefix: str = "shop",
    ) -> None:
        # Fails now, at start-up, rather than at the first customer's connection.
        proof_for("startup-check", session_secret)
        self.session_secret = session_secret
        self.allowed_origins = list(allowed_origins)
        self._message_limiter = SlidingWindowLimiter(MESSAGES_PER_MINUTE, 60.0)
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.session_persistence = session_persistence
        self.socketio_path = socketio_path
        self.metadata_key = metadata_key
        self.redis_url = redis_url
        self.redis_key_prefix = redis_key_prefix
        self.sio: Optional[AsyncServer] = None
        self._seen_message_ids: OrderedDict[str, None] = OrderedDict()
        self._redis: Optional[aioredis.Redis] = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return None
        return WebchatOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Browsers may connect only from the shop's origins (a websocket is not subject to CORS, so
        # engine.io checks the Origin header itself); clients that send no Origin are not browsers.
        client_manager = None
        if self.redis_url:
            # the channel carries the prefix: deployments sharing a Redis server don't hear each other
            client_manager = AsyncRedisManager(self.redis_url, channel=f"{self.redis_key_prefix}:socketio")
            self._redis = aioredis.Redis.from_url(self.redis_url, socket_timeout=5, socket_connect_timeout=5)
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.allowed_origins or None,
            client_manager=client_manager,
        )
        self.sio = sio
        socket_blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        add_health_route(socket_blueprint)

        async def connect(sid: Text, environ: Dict[str, Any], auth: Optional[Dict[str, Any]] = None) -> bool:
            return True

        async def session_request(sid: Text, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            proof = data.get("session_proof") if isinstance(data, dict) else None
            if self.session_persistence and proof_matches(requested, proof, self.session_secret):
                session_id = str(requested)
            else:
                session_id, proof = new_session(self.session_secret)
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.save_session(sid, {"session_id": session_id})
            await sio.emit(SESSION_PROOF_EVENT, {"session_id": session_id, "session_proof": proof}, room=sid)
            await sio.emit("session_confirm", session_id, room=sid)

        async def handle_message(sid: Text, data: Any) -> Dict[Text, Any]:
            return await self._handle_message(sio, sid, data, on_new_message)

        sio.on("connect", connect)
        sio.on("session_request", session_request)
        sio.on(self.user_message_evt, handle_message)
        return socket_blueprint

    async def _handle_message(
        self,
        sio: AsyncServer,
        sid: Text,
        data: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> Dict[Text, Any]:
        """Process one customer message; the return value is the socket.io acknowledgement."""
        if not isinstance(data, dict):
            return {"status": "rejected", "reason": "malformed"}
        text = data.get("message")
        if not isinstance(text, str) or not text.strip():
            return {"status": "rejected", "reason": "empty"}
        if len(text) > MAX_MESSAGE_LENGTH:
            return {"status": "rejected", "reason": "too_long"}
        session_id = await self._session_of(sio, sid)
        if session_id is None:
            return {"status": "rejected", "reason": "no_session"}
        if self._message_limiter.hit(session_id) is not None:
            return {"status": "rejected", "reason": "too_many_messages"}
        message_id = data.get("message_id")
        if isinstance(message_id, str) and MESSAGE_ID_PATTERN.match(message_id):
            if await self._already_seen(f"{session_id}:{message_id}"):
                return {"status": "duplicate", "message_id": message_id}
        else:
            message_id = None

        await sio.emit(
            USER_ECHO_EVENT,
            {"text": text, "message_id": message_id},
            room=session_id,
            skip_sid=sid,
        )
        user_message = self.customer_message(
            text, WebchatOutput(sio, self.bot_message_evt), session_id, _metadata_from(data.get(self.metadata_key))
        )
        try:
            await on_new_message(user_message)
        except Exception:  # the customer gets a polite notice; the details go to the log
            logger.exception("Could not process a web chat message for %s", session_id)
            return {"status": "error", "message_id": message_id}
        return {"status": "received", "message_id": message_id}

    async def _session_of(self, sio: AsyncServer, sid: Text) -> Optional[str]:
        """The session this socket was given by `session_request`; what the message names is ignored."""
        if not self.session_persistence:
            return sid
        session = await sio.get_session(sid)
        return session.get("session_id") if session else None

    async def _already_seen(self, key: str) -> bool:
        if self._redis is not None:
            # SET NX is atomic: of two processes given the same message, one takes it
            taken = await self._redis.set(
                f"{self.redis_key_prefix}:webchat_seen:{key}", 1, nx=True, ex=SEEN_MESSAGE_SECONDS
            )
            return not taken
        if key in self._seen_message_ids:
            return True
        self._seen_message_ids[key] = None
        while len(self._seen_message_ids) > REMEMBERED_MESSAGE_IDS:
            self._seen_message_ids.popitem(last=False)
        return False


def _metadata_from(raw: Any) -> Dict[Text, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
            return {}
    return raw if isinstance(raw, dict) else {}


def _clean_choices(choices: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    return [
        {"title": str(choice.get("title", "")), "payload": str(choice.get("payload", ""))}
        for choice in choices
        if isinstance(choice, dict)
    ]
