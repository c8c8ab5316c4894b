"""The customer's language travels with the handoff: the agent sees it and the desk's notices speak it."""

from __future__ import annotations

from typing import Optional

import aiohttp
import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from bot.service.handoff import customer_texts
from bot.service.handoff.desk import EscalationRequest, HandoffDesk
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.records import AgentStatus
from bot.service.wire.internal import EscalationRequest as EscalationBody
from tests.support.handoff_fixtures import StandInRasa, desk_for


async def _open(desk: HandoffDesk, conversation_id: str, language: Optional[str]) -> int:
    body = EscalationBody(conversation_id=conversation_id, channel="rest", language=language)
    opened = await desk.escalate(EscalationRequest(conversation_id, "rest", body.reason_or_default(), body.context()))
    return int(opened["handoff_id"])


def _staffed_desk(engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession) -> HandoffDesk:
    """A desk with one agent online, so that escalations open live handoffs."""
    desk = desk_for(engine, http_session, stand_in.url)
    agent = desk.agents.create("agent", "Agent", "password-123", 10)
    desk.agents.set_status(agent.id, AgentStatus.ONLINE)
    return desk


async def test_the_summary_the_console_reads_names_the_customers_language(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = _staffed_desk(engine, stand_in, http_session)
    spanish = await _open(desk, "conv-es", "es")
    unlabelled = await _open(desk, "conv-none", None)

    summaries = {}
    for handoff_id in (spanish, unlabelled):
        handoff = desk.queue.get(handoff_id)
        assert handoff is not None
        summaries[handoff_id] = await desk.summary(handoff)
    assert summaries[spanish]["language"] == "es"
    assert summaries[unlabelled]["language"] is None


async def test_a_waiting_customer_hears_their_new_place_in_their_language(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession
) -> None:
    desk = _staffed_desk(engine, stand_in, http_session)
    [agent] = desk.agents.list()
    first = await _open(desk, "conv-0", "en")
    await _open(desk, "conv-de", "de")
    await _open(desk, "conv-fr", "fr")

    await desk.claim(first, agent)
    await desk.queue_notices.settled()

    assert customer_texts.queue_position_changed(1, "de") in stand_in.bot_texts("conv-de")
    assert customer_texts.queue_position_changed(2, "fr") in stand_in.bot_texts("conv-fr")
    assert "Sie sind als Nächstes dran; gleich ist jemand für Sie da." in stand_in.bot_texts("conv-de")


def test_the_escalation_request_takes_only_a_two_letter_code() -> None:
    assert EscalationBody(conversation_id="c", language="fr").context()["language"] == "fr"
    assert "language" not in EscalationBody(conversation_id="c").context()
    for wrong in ("french", "f1", "FR", ""):
        with pytest.raises(ValidationError):
            EscalationBody(conversation_id="c", language=wrong)


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_every_notice_reads_differently_from_english(language: str) -> None:
    assert customer_texts.agent_joined("Dana", language) != customer_texts.agent_joined("Dana")
    assert "Dana" in customer_texts.agent_joined("Dana", language)
    assert customer_texts.chat_closed("Dana", language) != customer_texts.chat_closed("Dana")
    assert "7" in customer_texts.queue_position_changed(7, language)


def test_a_language_the_assistant_does_not_speak_gets_english_notices() -> None:
    assert customer_texts.agent_joined("Dana", "it") == customer_texts.agent_joined("Dana")
    assert customer_texts.queue_position_changed(3, None) == "You're now number 3 in the queue."


def test_the_language_the_escalation_carried_is_stored_in_its_column(engine: Engine) -> None:
    handoff, _ = HandoffQueue(engine).open_live("conv-es", "socketio", "customer_request", {"language": "es"})
    assert handoff.language == "es"
    assert handoff.customer_language == "es"
    unknown, _ = HandoffQueue(engine).open_live("conv-xx", "socketio", "customer_request", {"language": 7})
    assert unknown.language is None
