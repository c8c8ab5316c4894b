"""Everything an agent sees for one handoff: the whole transcript in order and the context card."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional

from bot.service.handoff.customer_context import order_summaries, verification_standing
from bot.service.handoff.desk import HandoffDesk
from bot.service.handoff.errors import UpstreamUnavailable
from bot.service.handoff.payloads import message_view, note_view
from bot.service.handoff.records import DeliveryState
from bot.service.handoff.tracker_history import TrackerHistory, read_history

logger = logging.getLogger(__name__)


async def handoff_detail(desk: HandoffDesk, handoff_id: int) -> Dict[str, Any]:
    handoff = await desk.require(handoff_id)
    messages = await asyncio.to_thread(desk.transcripts.messages, handoff.id)
    notes = await asyncio.to_thread(desk.transcripts.notes, handoff.id)
    deliveries = await asyncio.to_thread(desk.outbox.for_handoff, handoff.id)
    agent_names = {agent.id: agent.display_name for agent in await asyncio.to_thread(desk.agents.list)}

    history: Optional[TrackerHistory] = None
    try:
        history = read_history(await desk.rasa.tracker(handoff.conversation_id), handoff.created_at)
    except UpstreamUnavailable as error:
        logger.warning("conversation history unavailable for handoff %s: %s", handoff.id, error)

    snapshot = dict(handoff.context)
    slots = dict(snapshot.get("slots") or {})
    intents: List[str] = list(snapshot.get("intents") or [])
    transcript: List[Dict[str, Any]] = []
    if history is not None:
        slots.update(history.slots)
        intents = history.intents or intents
        transcript.extend(history.messages)
    transcript.extend(
        message_view(message, agent_names.get(message.agent_id) if message.agent_id is not None else None)
        for message in messages
    )
    transcript.sort(key=lambda entry: entry["at"] or "")

    verified = bool(slots.get("verified"))
    email = (slots.get("verified_email") or slots.get("email")) if verified else None
    orders = await asyncio.to_thread(order_summaries, desk.engine, email) if email else None
    verification = await asyncio.to_thread(verification_standing, desk.engine, slots.get("order_number"))
    return {
        "handoff": await desk.summary(handoff),
        "transcript": transcript,
        "history_available": history is not None,
        # what has not reached the customer (yet): pending lines, a close under way, and why
        "undelivered": [
            {
                "kind": entry.kind.value,
                "state": entry.state.value,
                "message_id": entry.message_id,
                "attempts": entry.attempts,
                "last_error": entry.last_error,
            }
            for entry in deliveries
            if entry.state is not DeliveryState.DELIVERED
        ],
        "notes": [note_view(note, agent_names.get(note.agent_id)) for note in notes],
        "context": {
            "reason": handoff.reason,
            "channel": handoff.channel,
            "intents": intents,
            "slots": slots,
            "customer": {
                "verified": verified,
                "customer_id": slots.get("customer_id") if verified else None,
                "email": email,
                "orders": orders,
                "verification": verification,
            },
        },
    }
