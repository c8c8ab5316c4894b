"""The handoff desk: every state change of a handoff, with the messages it sends and the updates it pushes."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, TypeVar

from sqlalchemy.engine import Engine

from bot.handoff import customer_texts
from bot.handoff.agent_repository import AgentRepository
from bot.handoff.business_hours import BusinessHours
from bot.handoff.clock import utc_now
from bot.handoff.errors import Conflict, InvalidRequest, LimitReached, NotFound
from bot.handoff.escalation import EscalationMode, decide, describe_reply_time
from bot.handoff.live_updates import LiveUpdates
from bot.handoff.models import (
    Agent,
    ClaimResult,
    CloseOutcome,
    Handoff,
    HandoffKind,
    HandoffStatus,
    Sender,
)
from bot.handoff.permissions import require_write_access
from bot.handoff.queue_repository import HandoffQueue
from bot.handoff.rasa_client import RasaClient
from bot.handoff.transcript_repository import TranscriptRepository
from bot.handoff.views import handoff_summary, message_view, note_view
from bot.handoff.wait_estimate import describe_wait, expected_wait_seconds

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
    ) -> None:
        self.engine = engine
        self.agents = AgentRepository(engine)
        self.queue = HandoffQueue(engine)
        self.transcripts = TranscriptRepository(engine)
        self.hours = hours
        self.rasa = rasa
        self.live = live
        self._background: "set[asyncio.Task[None]]" = set()

    async def escalate(self, request: EscalationRequest) -> Dict[str, Any]:
        now = utc_now()
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

    async def leave_ticket(
        self, request: EscalationRequest, email: str, message: str
    ) -> Handoff:
        email, message = email.strip(), message.strip()
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
        return handoff_summary(handoff, position, agent, now or utc_now())

    async def list(self, status: HandoffStatus) -> List[Dict[str, Any]]:
        now = utc_now()
        handoffs = await _db(self.queue.list, status)
        agents = {agent.id: agent for agent in await _db(self.agents.list)}
        summaries = []
        position = 0
        for handoff in handoffs:
            queue_position = None
            if handoff.status is HandoffStatus.WAITING and handoff.kind is HandoffKind.LIVE:
                position += 1
                queue_position = position
            agent = agents.get(handoff.agent_id) if handoff.agent_id else None
            summaries.append(handoff_summary(handoff, queue_position, agent, now))
        return summaries

    async def require(self, handoff_id: int) -> Handoff:
        handoff = await _db(self.queue.get, handoff_id)
        if handoff is None:
            raise NotFound(f"there is no handoff {handoff_id}")
        return handoff

    async def claim(self, handoff_id: int, agent: Agent) -> Handoff:
        result = await _db(self.queue.claim, handoff_id, agent.id, agent.max_concurrent_chats)
        if result is ClaimResult.NOT_FOUND:
            raise NotFound(f"there is no handoff {handoff_id}")
        if result is ClaimResult.ALREADY_TAKEN:
            raise Conflict("this chat has already been taken by another agent or is closed")
        if result is ClaimResult.AGENT_AT_LIMIT:
            raise LimitReached(
                f"you already have {agent.max_concurrent_chats} open chats, the most allowed; "
                "close one before taking another"
            )
        handoff = await self.require(handoff_id)
        await self._publish_handoff("handoff_claimed", handoff)
        if handoff.kind is HandoffKind.LIVE:
            self._in_background(self._greet_and_update_queue(handoff, agent))
        return handoff

    async def relay_agent_message(self, handoff_id: int, agent: Agent, text: str) -> Dict[str, Any]:
        handoff = await self._writable_active_chat(handoff_id, agent, "write to the customer")
        text = text.strip()
        if not text:
            raise InvalidRequest("text must not be empty")
        # send first: a message that never reached the customer must not appear in the transcript
        await self.rasa.send_bot_message(
            handoff.conversation_id, text, {"handoff_id": handoff.id, "agent": agent.display_name}
        )
        message = await _db(
            self.transcripts.add_message, handoff.id, Sender.AGENT, text, agent.id
        )
        view = message_view(message, agent.display_name)
        self.live.publish("message", handoff_id=handoff.id, message=view)
        return view

    async def add_note(self, handoff_id: int, agent: Agent, text: str) -> Dict[str, Any]:
        require_write_access(agent, await self.require(handoff_id), "add notes to it")
        note = await _db(self.transcripts.add_note, handoff_id, agent.id, text)
        view = note_view(note, agent.display_name)
        self.live.publish("note", handoff_id=handoff_id, note=view)
        return view

    async def close(self, handoff_id: int, agent: Agent, outcome: CloseOutcome) -> Handoff:
        handoff = await self._writable_active_chat(handoff_id, agent, "close it")
        if handoff.kind is HandoffKind.LIVE:
            # resume Rasa first: if it is unreachable the chat stays open and the agent can retry
            if outcome is CloseOutcome.RESOLVED:
                await self.rasa.send_bot_message(
                    handoff.conversation_id,
                    customer_texts.chat_closed(agent.display_name),
                    custom=customer_texts.handoff_notice(customer_texts.AGENT_LEFT_EVENT, agent.display_name),
                )
            await self.rasa.hand_back(handoff.conversation_id, outcome.value)
        # conditional on the holder, who stays on record when a supervisor closes the chat
        assert handoff.agent_id is not None
        if not await _db(self.queue.close, handoff_id, handoff.agent_id, outcome):
            raise Conflict("this chat was closed in the meantime")
        closed = await self.require(handoff_id)
        await self._publish_handoff("handoff_closed", closed)
        return closed

    async def record_customer_message(
        self, conversation_id: str, text: str, event_key: str, sent_at: datetime
    ) -> bool:
        handoff = await _db(self.queue.open_for_conversation, conversation_id)
        # the message that caused the escalation predates the handoff; it is shown from the tracker
        if handoff is None or sent_at < handoff.created_at:
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
            raise Conflict(
                f"this chat is {handoff.status.value}; only an active chat can be written to or closed"
            )
        return handoff

    async def _publish_handoff(self, kind: str, handoff: Handoff) -> None:
        self.live.publish(kind, handoff=await self.summary(handoff))

    async def _greet_and_update_queue(self, handoff: Handoff, agent: Agent) -> None:
        greeting = customer_texts.agent_joined(agent.display_name)
        await self.rasa.send_bot_message(
            handoff.conversation_id,
            greeting,
            custom=customer_texts.handoff_notice(customer_texts.AGENT_JOINED_EVENT, agent.display_name),
        )
        await _db(self.transcripts.add_message, handoff.id, Sender.BOT, greeting)
        # everyone behind the claimed chat moved up by one
        waiting = await _db(self.queue.list, HandoffStatus.WAITING)
        live_waiting = [item for item in waiting if item.kind is HandoffKind.LIVE]
        for position, other in enumerate(live_waiting, start=1):
            await self.rasa.send_bot_message(
                other.conversation_id, customer_texts.queue_position_changed(position)
            )

    def _in_background(self, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:  # customer notifications are best effort; the claim already stands
                logger.exception("could not notify customers after a claim")

        task = asyncio.ensure_future(guarded())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
