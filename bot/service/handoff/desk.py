"""The handoff desk: every state change of a handoff, with the messages it sends and the updates it pushes."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, List, Mapping, Optional, TypeVar

from sqlalchemy.engine import Connection, Engine

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.business_hours import BusinessHours
from bot.service.handoff.errors import Conflict, InvalidRequest, LimitReached, NotFound
from bot.service.handoff.escalation_mode import EscalationMode, decide, describe_reply_time
from bot.service.handoff.labels import LabelRepository
from bot.service.handoff.live_updates import LiveUpdates
from bot.service.handoff.outbox_delivery import OutboxDelivery, RetryPolicy
from bot.service.handoff.outbox_repository import OutboxRepository
from bot.service.handoff.outgoing import Outgoing, queue_close, queue_greeting
from bot.service.handoff.payloads import handoff_summary, message_view, note_view
from bot.service.handoff.permissions import require_write_access
from bot.service.handoff.queue_notices import QueueNotices
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.rasa_client import RasaClient
from bot.service.handoff.records import (
    Agent,
    ClaimResult,
    CloseOutcome,
    DeliveryState,
    Handoff,
    HandoffKind,
    HandoffStatus,
    OutboxEntry,
    OutboxKind,
    Sender,
    TranscriptMessage,
)
from bot.service.handoff.transcript_repository import TranscriptRepository
from bot.service.handoff.wait_estimate import describe_wait, expected_wait_seconds
from bot.service.supervisor_transfer import TransferRepository, TransferResult
from bot.shared.clock import Clock, utc_now
from bot.shared.privacy_masking import mask_private

if TYPE_CHECKING:
    from bot.service.email.ticket_replies import TicketReplies

logger = logging.getLogger(__name__)
T = TypeVar("T")


async def _db(function: Callable[..., T], *args: Any) -> T:
    """Database calls are blocking; keep them off the event loop that serves the consoles."""
    return await asyncio.to_thread(function, *args)


@dataclass(frozen=True)
class EscalationRequest:
    conversation_id: str
    channel: Optional[str]
    reason: str
    context: Mapping[str, Any]


class HandoffDesk:
    def __init__(
        self,
        engine: Engine,
        hours: BusinessHours,
        rasa: RasaClient,
        live: LiveUpdates,
        retry_policy: RetryPolicy = RetryPolicy(),
        clock: Clock = utc_now,
    ) -> None:
        """`clock` is the one source of "now" for opening hours, presence, timestamps and retries."""
        self.engine = engine
        self.clock = clock
        self.agents = AgentRepository(engine, clock)
        self.queue = HandoffQueue(engine, clock)
        self.transcripts = TranscriptRepository(engine, clock)
        self.outbox = OutboxRepository(engine, clock)
        self.outgoing = Outgoing(engine, clock)
        self.labels = LabelRepository(engine, clock)
        self.transfers = TransferRepository(engine, clock)
        self.hours = hours
        self.rasa = rasa
        self.live = live
        self.delivery = OutboxDelivery(self.outbox, rasa, self._delivery_finished, retry_policy, clock)
        self.queue_notices = QueueNotices(self.queue, rasa)
        self._background: set[asyncio.Task[None]] = set()
        # set by setup_email: tickets are answered by e-mail, not through Rasa
        self.ticket_replies: Optional[TicketReplies] = None

    async def escalate(self, request: EscalationRequest) -> Dict[str, Any]:
        now = self.clock()
        agents_online = await _db(self.agents.online_count, now)
        decision = decide(self.hours, now, agents_online)
        if decision.mode is EscalationMode.OFFLINE:
            return {
                "mode": decision.mode.value,
                "offline_reason": decision.offline_reason.value if decision.offline_reason else None,
                "next_opening": decision.next_opening.isoformat() if decision.next_opening else None,
                "reply_by": describe_reply_time(decision),
                "agents_online": agents_online,
            }
        handoff, created = await _db(
            self.queue.open_live,
            request.conversation_id,
            request.channel,
            request.reason,
            request.context,
        )
        position = await _db(self.queue.queue_position, handoff)
        waits = await _db(self.queue.recent_wait_seconds, now)
        wait = expected_wait_seconds(position, agents_online, waits) if position else None
        # action_handoff tells the customer this position; a notice follows only when it changes
        await _db(self.queue.set_notified_position, handoff.id, position)
        if created:
            await self._publish_handoff("handoff_opened", handoff)
        return {
            "mode": decision.mode.value,
            "handoff_id": handoff.id,
            "status": handoff.status.value,
            "queue_position": position,
            "expected_wait_seconds": wait,
            "expected_wait_text": describe_wait(wait),
            "agents_online": agents_online,
        }

    async def leave_ticket(self, request: EscalationRequest, email: str, message: str) -> Handoff:
        email, message = email.strip(), mask_private(message.strip())
        if "@" not in email or len(email) > 255:
            raise InvalidRequest("a valid email address is needed to answer the message")
        if not message:
            raise InvalidRequest("the message must not be empty")
        handoff = await _db(
            self.queue.open_ticket,
            request.conversation_id,
            request.channel,
            request.reason,
            email,
            message,
            request.context,
        )
        await self._publish_handoff("handoff_opened", handoff)
        return handoff

    async def summary(self, handoff: Handoff, now: Optional[datetime] = None) -> Dict[str, Any]:
        position = await _db(self.queue.queue_position, handoff)
        agent = await _db(self.agents.get, handoff.agent_id) if handoff.agent_id else None
        labels = await _db(self.labels.labels_of, handoff.id)
        return handoff_summary(handoff, position, agent, now or self.clock(), labels)

    async def list(self, status: HandoffStatus) -> List[Dict[str, Any]]:
        now = self.clock()
        handoffs = await _db(self.queue.list, status)
        agents = {agent.id: agent for agent in await _db(self.agents.list)}
        labels = await _db(self.labels.labels_of_many, [handoff.id for handoff in handoffs])
        summaries = []
        position = 0
        for handoff in handoffs:
            queue_position = None
            if handoff.status is HandoffStatus.WAITING and handoff.kind is HandoffKind.LIVE:
                position += 1
                queue_position = position
            agent = agents.get(handoff.agent_id) if handoff.agent_id else None
            summaries.append(handoff_summary(handoff, queue_position, agent, now, labels.get(handoff.id, ())))
        return summaries

    async def require(self, handoff_id: int) -> Handoff:
        handoff = await _db(self.queue.get, handoff_id)
        if handoff is None:
            raise NotFound(f"there is no handoff {handoff_id}")
        return handoff

    async def claim(self, handoff_id: int, agent: Agent) -> Handoff:
        handoff = await self.require(handoff_id)

        def greet(connection: Connection) -> None:
            if handoff.kind is HandoffKind.LIVE:
                queue_greeting(connection, handoff, agent.display_name, self.clock())

        result = await _db(self.queue.claim, handoff_id, agent.id, agent.max_concurrent_chats, greet)
        if result is ClaimResult.NOT_FOUND:
            raise NotFound(f"there is no handoff {handoff_id}")
        if result is ClaimResult.ALREADY_TAKEN:
            raise Conflict("this chat has already been taken by another agent or is closed")
        if result is ClaimResult.AGENT_AT_LIMIT:
            raise LimitReached(
                f"you already have {agent.max_concurrent_chats} open chats, the most allowed; "
                "close one before taking another"
            )
        claimed = await self.require(handoff_id)
        await self._publish_handoff("handoff_claimed", claimed)
        if claimed.kind is HandoffKind.LIVE:
            # the claim answers at once; the greeting and the queue notices follow
            self._in_background(self.delivery.deliver_conversation(claimed.conversation_id))
            self.queue_notices.queue_changed()
        return claimed

    async def relay_agent_message(self, handoff_id: int, agent: Agent, text: str) -> Dict[str, Any]:
        """The agent's line, stored and queued, then delivered if Rasa answers now; `delivery` says which."""
        handoff = await self._writable_active_chat(handoff_id, agent, "write to the customer")
        text = text.strip()
        if not text:
            raise InvalidRequest("text must not be empty")
        if handoff.kind is HandoffKind.TICKET and self.ticket_replies is not None:
            mailed = await self.ticket_replies.reply(handoff, agent.id, agent.display_name, text)
            self.live.publish("message", handoff_id=handoff.id, message=message_view(mailed, agent.display_name))
            return message_view(mailed, agent.display_name)
        queued = await _db(self.outgoing.agent_line, handoff, agent.id, agent.display_name, text)
        if queued is None:
            raise Conflict("this chat is being closed; only an active chat can be written to")
        self.live.publish("message", handoff_id=handoff.id, message=message_view(queued, agent.display_name))
        await self.delivery.deliver_conversation(handoff.conversation_id)
        return message_view(await self._message(queued), agent.display_name)

    async def add_note(self, handoff_id: int, agent: Agent, text: str) -> Dict[str, Any]:
        require_write_access(agent, await self.require(handoff_id), "add notes to it")
        note = await _db(self.transcripts.add_note, handoff_id, agent.id, text)
        view = note_view(note, agent.display_name)
        self.live.publish("note", handoff_id=handoff_id, note=view)
        return view

    async def close(self, handoff_id: int, agent: Agent, outcome: CloseOutcome) -> Handoff:
        """Starts the close and delivers it if Rasa answers now; the handoff is `closing` until it has.

        Asking again is safe: a chat already closing or closed with this outcome is returned as it is
        (and a close under way is tried again now).
        """
        handoff = await self.require(handoff_id)
        require_write_access(agent, handoff, "close it")
        if handoff.status is HandoffStatus.ACTIVE and await self._start_close(handoff, agent, outcome):
            if handoff.kind is HandoffKind.LIVE:
                await self.delivery.deliver_conversation(handoff.conversation_id)
            return await self.require(handoff_id)
        return await self._close_again(await self.require(handoff_id), outcome)

    async def _start_close(self, handoff: Handoff, agent: Agent, outcome: CloseOutcome) -> bool:
        """False when the chat stopped being active meanwhile (someone else closed it)."""
        # conditional on the holder, who stays on record when a supervisor closes the chat
        assert handoff.agent_id is not None
        if handoff.kind is HandoffKind.TICKET:
            # nothing to tell Rasa: a ticket closes at once
            if not await _db(self.queue.close, handoff.id, handoff.agent_id, outcome):
                return False
            if self.ticket_replies is not None:
                await self.ticket_replies.closed(handoff)
            await self._publish_handoff("handoff_closed", await self.require(handoff.id))
            return True

        def queue_notices(connection: Connection) -> None:
            queue_close(connection, handoff, outcome, agent.display_name, self.clock())

        if not await _db(self.queue.begin_close, handoff.id, handoff.agent_id, outcome, queue_notices):
            return False
        await self._publish_handoff("handoff_closing", await self.require(handoff.id))
        return True

    async def _close_again(self, handoff: Handoff, outcome: CloseOutcome) -> Handoff:
        if handoff.status not in (HandoffStatus.CLOSING, HandoffStatus.CLOSED):
            raise Conflict(f"this chat is {handoff.status.value}; only an active chat can be closed")
        if handoff.outcome is not outcome:
            done_as = handoff.outcome.value if handoff.outcome else "something else"
            raise Conflict(f"this chat is already {handoff.status.value} as {done_as}")
        if handoff.status is HandoffStatus.CLOSING:
            await self.delivery.deliver_conversation(handoff.conversation_id)
            handoff = await self.require(handoff.id)
        return handoff

    async def transfer(self, handoff_id: int, supervisor: Agent, to: Optional[Agent], note: str) -> Handoff:
        """To agent `to`, or back to the queue when None; the note is left for whoever takes the chat next."""
        handoff = await self.require(handoff_id)
        if to is not None and to.id == handoff.agent_id:
            raise Conflict(f"{to.display_name} already holds this chat")
        result = await _db(self.transfers.to_agent, handoff, to) if to else await _db(self.transfers.to_queue, handoff)
        if result is TransferResult.AGENT_AT_LIMIT and to is not None:
            raise LimitReached(f"{to.display_name} already has {to.max_concurrent_chats} open chats, the most allowed")
        if result is not TransferResult.MOVED:
            raise Conflict(f"this chat is {handoff.status.value}; only a waiting or active chat can be transferred")
        where = to.display_name if to else "the queue"
        await self.add_note(handoff_id, supervisor, f"Transferred to {where} by {supervisor.display_name}: {note}")
        moved = await self.require(handoff_id)
        await self._publish_handoff("handoff_claimed" if to else "handoff_opened", moved)
        if moved.kind is HandoffKind.LIVE:
            if to is not None:
                self._in_background(self.delivery.deliver_conversation(moved.conversation_id))
            self.queue_notices.queue_changed()
        return moved

    async def record_customer_message(self, conversation_id: str, text: str, event_key: str, sent_at: datetime) -> bool:
        # the handoff the customer was in when writing, even if it closed since; the message that
        # caused the escalation predates the handoff and is shown from the tracker
        handoff = await _db(self.queue.handoff_at, conversation_id, sent_at)
        if handoff is None:
            return False
        message = await _db(
            self.transcripts.add_message,
            handoff.id,
            Sender.CUSTOMER,
            text,
            None,
            event_key,
            sent_at,
        )
        if message is None:
            return False
        self.live.publish("message", handoff_id=handoff.id, message=message_view(message))
        return True

    async def rate(self, conversation_id: str, score: int, comment: Optional[str]) -> Dict[str, Any]:
        handoff = await _db(self.queue.latest_for_conversation, conversation_id)
        rating = await _db(
            self.transcripts.add_rating,
            conversation_id,
            score,
            comment,
            handoff.id if handoff else None,
            handoff.agent_id if handoff else None,
        )
        return {"id": rating.id, "score": rating.score, "handoff_id": rating.handoff_id}

    async def _writable_active_chat(self, handoff_id: int, agent: Agent, action: str) -> Handoff:
        handoff = await self.require(handoff_id)
        require_write_access(agent, handoff, action)
        if handoff.status is not HandoffStatus.ACTIVE:
            raise Conflict(f"this chat is {handoff.status.value}; only an active chat can be written to or closed")
        return handoff

    async def _publish_handoff(self, kind: str, handoff: Handoff) -> None:
        self.live.publish(kind, handoff=await self.summary(handoff))

    async def _message(self, message: TranscriptMessage) -> TranscriptMessage:
        return await _db(self.transcripts.message, message.id) or message

    async def _delivery_finished(self, entry: OutboxEntry, state: DeliveryState) -> None:
        """Tells the consoles, and ends (or undoes) a close once its hand-back is settled."""
        if entry.message_id is not None:
            message = await _db(self.transcripts.message, entry.message_id)
            if message is not None:
                agent = await _db(self.agents.get, message.agent_id) if message.agent_id else None
                view = message_view(message, agent.display_name if agent else None)
                self.live.publish("message_delivery", handoff_id=entry.handoff_id, message=view)
        if entry.kind is not OutboxKind.HAND_BACK:
            return
        if state is DeliveryState.DELIVERED and await _db(self.queue.finish_close, entry.handoff_id):
            await self._publish_handoff("handoff_closed", await self.require(entry.handoff_id))
        elif state is DeliveryState.FAILED and await _db(self.queue.reopen, entry.handoff_id):
            # Rasa refused the hand-back for good: the agent still holds the chat and may try again
            await self._publish_handoff("handoff_close_failed", await self.require(entry.handoff_id))

    async def settled(self) -> None:
        """Returns when what claims started in the background (greetings, queue notices) is done."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)
        await self.queue_notices.settled()

    def _in_background(self, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:  # the outbox keeps what was not delivered; the worker retries it
                logger.exception("background delivery failed")

        task = asyncio.ensure_future(guarded())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
