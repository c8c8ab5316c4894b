"""An agent's answer to a ticket, sent by e-mail: the customer's reply then comes back into the same ticket."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.service.handoff.errors import InvalidRequest, UpstreamUnavailable
from bot.service.handoff.rasa_client import RasaClient, resume_events
from bot.service.handoff.records import DeliveryState, Handoff, Sender, TranscriptMessage
from bot.service.handoff.transcript_repository import insert_message
from bot.shared.clock import Clock, utc_now
from bot.shared.email.replies import ThreadReplies

logger = logging.getLogger(__name__)

TICKET_SUBJECT = "Your message to our support team"


class TicketReplies:
    def __init__(self, engine: Engine, from_address: str, rasa: RasaClient, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._replies = ThreadReplies(engine, from_address)
        self._rasa = rasa
        self._clock = clock

    async def reply(self, handoff: Handoff, agent_id: int, agent_name: str, text: str) -> TranscriptMessage:
        """Stored in the transcript and queued as a mail together; the mail outbox sends it."""
        if not handoff.customer_email:
            raise InvalidRequest("this ticket has no e-mail address to answer")
        # The bot keeps quiet in the conversation while an agent holds the ticket: the customer's reply
        # to this mail arrives in it and is the agent's to answer. Appending the pause again is harmless.
        await self._rasa.append_events(handoff.conversation_id, [{"event": "pause"}])
        return await asyncio.to_thread(self._queue, handoff, agent_id, agent_name, text)

    def _queue(self, handoff: Handoff, agent_id: int, agent_name: str, text: str) -> TranscriptMessage:
        now = self._clock()
        assert handoff.customer_email is not None
        thread = self._replies.threads.start(handoff.conversation_id, handoff.customer_email, TICKET_SUBJECT, now)
        message = insert_message_alone(self._engine, handoff.id, agent_id, text, now)
        self._replies.queue(thread, [text, f"{agent_name}, customer support"], [], now, f"ticket-reply:{message.id}")
        return message

    async def closed(self, handoff: Handoff) -> None:
        """The bot answers the conversation again once a ticket answered by mail is closed."""
        if await asyncio.to_thread(self._replies.threads.get, handoff.conversation_id) is None:
            return  # never answered by mail, so never paused
        try:
            await self._rasa.append_events(handoff.conversation_id, resume_events({"handoff_id": handoff.id}))
        except UpstreamUnavailable:
            logger.warning("the conversation of ticket %s could not be resumed", handoff.id)


def insert_message_alone(
    engine: Engine, handoff_id: int, agent_id: int, text: str, created_at: datetime
) -> TranscriptMessage:
    # delivered as far as the desk is concerned: the mail outbox keeps it until the SMTP server has it
    with engine.begin() as connection:
        return insert_message(
            connection, handoff_id, Sender.AGENT, text, created_at, agent_id, delivery=DeliveryState.DELIVERED
        )
