"""The e-mail input channel, whatever the provider: one mail in, its questions answered in one mail out.

A provider's connector subclasses `EmailInput` and implements two methods: `authenticate` (is this
request really the provider's, and new?) and `read_mail` (the request as an `InboundMail`). Everything
after that (threads, questions, replies, the outbox) is shared.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from bot.rasa_server.channels.customer_text import guarded
from bot.rasa_server.channels.email_answering import CHANNEL_NAME, answer
from bot.rasa_server.channels.email_output import EmailOutput
from bot.rasa_server.channels.email_questions import questions
from bot.shared.clock import Clock, utc_now
from bot.shared.database import create_store_engine, ensure_sqlite_directory
from bot.shared.email.inbound import InboundMail
from bot.shared.email.replies import ThreadReplies
from bot.shared.email.tables import create_email_tables
from bot.shared.email.threads import new_conversation_id

logger = logging.getLogger(__name__)

HELD_BACK_NOTE = "I'll answer the rest of your message once you have replied to the question above."
NOTHING_READ_NOTE = "Thanks for your message. Could you tell us in a sentence or two what you need help with?"


@dataclass(frozen=True)
class EmailChannelSettings:
    """What the supervisor writes into the credentials file when EMAIL_WEBHOOK_SIGNING_KEY is set."""

    signing_key: str
    from_address: str
    database_url: str


class EmailInput(InputChannel, ABC):
    """The webhook at `/webhooks/email/webhook`."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(EmailChannelSettings(**credentials))

    def __init__(self, settings: EmailChannelSettings, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self._engine: Optional[Engine] = None
        self._replies: Optional[ThreadReplies] = None

    @property
    def engine(self) -> Engine:
        # made on first use, inside the server, never at import or when Rasa reads the credentials
        if self._engine is None:
            ensure_sqlite_directory(self.settings.database_url)
            self._engine = create_store_engine(self.settings.database_url)
            create_email_tables(self._engine)
        return self._engine

    @property
    def replies(self) -> ThreadReplies:
        if self._replies is None:
            self._replies = ThreadReplies(self.engine, self.settings.from_address)
        return self._replies

    def get_output_channel(self) -> OutputChannel:
        return EmailOutput(self.replies, self.clock)

    @abstractmethod
    async def authenticate(self, request: Request) -> Optional[HTTPResponse]:
        """None for a genuine, first-time request from the provider; else the refusal to answer with."""

    @abstractmethod
    def read_mail(self, request: Request) -> Optional[InboundMail]:
        """The mail in the provider's request; None when it holds none (a 400 is answered)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = Blueprint("email_webhook", __name__)

        @webhook.route("/", methods=["GET"])  # type: ignore[untyped-decorator]
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])  # type: ignore[untyped-decorator]
        async def receive(request: Request) -> HTTPResponse:
            refusal = await self.authenticate(request)
            if refusal is not None:
                return refusal
            mail = self.read_mail(request)
            if mail is None:
                return response.text("not an e-mail", status=400)
            await self.handle(mail, on_new_message)
            return response.text("ok")

        return webhook

    async def handle(self, mail: InboundMail, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        threads = self.replies.threads
        if await asyncio.to_thread(threads.already_received, mail.message_id):
            return  # the provider sent this mail again: it has been answered
        now = self.clock()
        conversation_id = await asyncio.to_thread(threads.continued_conversation, mail)
        if conversation_id is None:
            conversation_id = new_conversation_id()
            customer = mail.sender
        else:
            existing = await asyncio.to_thread(threads.get, conversation_id)
            # replies go where the thread began: a reply naming our id came through that mailbox
            customer = existing.customer_address if existing else mail.sender
        thread = await asyncio.to_thread(threads.open, conversation_id, customer, mail, now)
        parts = questions(mail.text)
        result = await answer(parts, thread, mail.sender, on_new_message)
        if result.held_back:
            result.paragraphs.append(HELD_BACK_NOTE)
        if not parts:
            result.paragraphs.append(NOTHING_READ_NOTE)
        await asyncio.to_thread(threads.mark_received, mail.message_id, conversation_id, now)
        latest = await asyncio.to_thread(threads.get, conversation_id)
        if latest is not None:
            await asyncio.to_thread(
                self.replies.queue, latest, result.paragraphs, result.choices, self.clock(), f"answer:{mail.message_id}"
            )
        logger.info("e-mail answered: %d question(s), %d held back", len(parts), result.held_back)
