"""The e-mail input channel, whatever the provider: one mail in, its questions answered in one mail out.

A provider's connector subclasses `EmailInput` and implements two methods: `authenticate` (is this
request really the provider's, and new?) and `read_mail` (the post as an `InboundMail`). The post is read
as a stream first (`email_post.py`: attachments dropped, only their names and sizes kept); everything
after the two methods (threads, questions, replies, the outbox) is shared.
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
from bot.rasa_server.channels.email_notes import Note, note
from bot.rasa_server.channels.email_output import EmailOutput
from bot.rasa_server.channels.email_post import InboundPost, MalformedPost, PostTooLarge, read_post
from bot.rasa_server.channels.email_questions import questions
from bot.shared.clock import Clock, utc_now
from bot.shared.database import create_store_engine, ensure_sqlite_directory
from bot.shared.email.inbound import InboundMail
from bot.shared.email.replies import ThreadReplies
from bot.shared.email.tables import create_email_tables
from bot.shared.email.threads import new_conversation_id

logger = logging.getLogger(__name__)

LanguageOf = Callable[[str], Awaitable[Optional[str]]]


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
    async def authenticate(self, request: Request, post: InboundPost) -> Optional[HTTPResponse]:
        """None for a genuine, first-time request from the provider; else the refusal to answer with.

        `post` holds the text fields (or, for a body that is not multipart, the body itself); nothing has
        been looked up or stored before this check.
        """

    @abstractmethod
    def read_mail(self, post: InboundPost) -> Optional[InboundMail]:
        """The mail in the provider's post; None when it holds none (a 400 is answered)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = Blueprint("email_webhook", __name__)

        @webhook.route("/", methods=["GET"])  # type: ignore[untyped-decorator]
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # streamed: a mail with a photo attached is larger than the server's limit for every other post
        @webhook.route("/webhook", methods=["POST"], stream=True)  # type: ignore[untyped-decorator]
        async def receive(request: Request) -> HTTPResponse:
            try:
                post = await read_post(request)
            except PostTooLarge as error:
                return response.text(str(error), status=413)
            except MalformedPost as error:
                return response.text(str(error), status=400)
            refusal = await self.authenticate(request, post)
            if refusal is not None:
                return refusal
            mail = self.read_mail(post)
            if mail is None:
                return response.text("not an e-mail", status=400)
            await self.handle(mail, on_new_message, lambda conversation: _language_of(request, conversation))
            return response.text("ok")

        return webhook

    async def handle(
        self,
        mail: InboundMail,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        language_of: Optional[LanguageOf] = None,
    ) -> None:
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
        result = await answer(parts, thread, mail.sender, on_new_message, mail.attachments)
        language = await language_of(conversation_id) if language_of is not None else None
        if result.held_back:
            result.paragraphs.append(note(Note.HELD_BACK, language))
        if mail.attachments:
            result.paragraphs.append(note(Note.ATTACHMENTS_NOT_READ, language))
        if not parts:
            result.paragraphs.append(note(Note.NOTHING_READ, language))
        await asyncio.to_thread(threads.mark_received, mail.message_id, conversation_id, now)
        latest = await asyncio.to_thread(threads.get, conversation_id)
        if latest is not None:
            await asyncio.to_thread(
                self.replies.queue, latest, result.paragraphs, result.choices, self.clock(), f"answer:{mail.message_id}"
            )
        logger.info(
            "e-mail answered: %d question(s), %d held back, %d attachment(s) dropped",
            len(parts),
            result.held_back,
            len(mail.attachments),
        )


async def _language_of(request: Request, conversation_id: str) -> Optional[str]:
    """The conversation's `language` slot once the mail's questions have run; None when it cannot be read."""
    agent = getattr(request.app.ctx, "agent", None)
    try:
        tracker = await agent.tracker_store.retrieve(conversation_id) if agent is not None else None
    except Exception:  # the notes then fall back to English; the answer itself is already written
        logger.warning("the conversation's language could not be read for the mail's notes")
        return None
    language = tracker.get_slot("language") if tracker is not None else None
    return language if isinstance(language, str) else None
