"""action_handoff and friends against a real bot service: in and out of hours, no agents, service down."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from actions.handoff import (
    ActionHandback,
    ActionHandoff,
    ActionLeaveMessage,
    ActionStoreRating,
    ValidateHandoffMessageForm,
)
from bot.service.handoff.records import AgentStatus, HandoffStatus
from bot.store.context import StoreContext
from tests.actions.dialogue import SENDER, context_for, make_tracker, rendered, run, user_message
from tests.support.handoff_fixtures import (
    TEST_SECRET,
    RunningService,
    database_for,
    service_settings,
)
from tests.support.stack import free_port

ALWAYS_OPEN = "Mon-Sun 00:00-24:00"
NEVER_OPEN_DURING_TESTS = "Sun 03:00-03:01"


def context_of(service_url: str) -> StoreContext:
    """The handoff actions use only the settings; the store is an in-memory database never opened."""
    return context_for("sqlite://", SERVICE_URL=service_url, HANDOFF_SECRET=TEST_SECRET)


def _start(tmp_path: Path, hours: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningService]:
    with database_for("sqlite", tmp_path) as database:
        service = RunningService(service_settings(database, tmp_path, business_hours=hours), database.schema).start()
        try:
            yield service
        finally:
            service.stop()


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningService]:
    yield from _start(tmp_path, ALWAYS_OPEN, monkeypatch)


@pytest.fixture
def closed_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningService]:
    yield from _start(tmp_path, NEVER_OPEN_DURING_TESTS, monkeypatch)


def _agent_online(service: RunningService, username: str = "dana") -> int:
    agent = service.desk.agents.create(username, username.title(), "password-123")
    service.desk.agents.set_status(agent.id, AgentStatus.ONLINE)
    return agent.id


def _tracker(domain: Dict[str, Any], sender: str = SENDER, **slots: Any):  # type: ignore[no-untyped-def]
    tracker = make_tracker(
        domain,
        slots=slots,
        message=user_message("I want to talk to a person", "human_handoff"),
        events=[
            {
                "event": "user",
                "text": "a person please",
                "input_channel": "socketio",
                "parse_data": user_message("a person please", "human_handoff"),
            }
        ],
    )
    tracker.sender_id = sender
    return tracker


async def test_with_an_agent_online_the_customer_is_queued_and_the_bot_pauses(
    service: RunningService, domain: Dict[str, Any]
) -> None:
    _agent_online(service)
    first = await run(
        ActionHandoff(context_of(service.url)), _tracker(domain, "conv-1", handoff_reason="damaged_goods"), domain
    )
    second = await run(ActionHandoff(context_of(service.url)), _tracker(domain, "conv-2"), domain)

    assert first.responses == ["utter_handoff_queued"]
    assert first.messages[0]["queue_position"] == 1
    assert "number 1 in the queue" in rendered(first.messages[0], domain)
    assert second.messages[0]["queue_position"] == 2
    assert {"event": "pause"} in [{"event": event["event"]} for event in first.events]
    assert first.slots()["handoff_mode"] == "live"

    handoff = service.desk.queue.open_for_conversation("conv-1")
    assert handoff.reason == "damaged_goods" and handoff.channel == "socketio"
    assert handoff.context["intents"][-1] == "human_handoff"
    assert service.desk.queue.open_for_conversation("conv-2").reason == "customer_request"


@pytest.mark.parametrize(
    "reason",
    [
        "failed_verification",
        "action_error",
        "charge_dispute",
        "damaged_goods",
        "complaint",
        "repeated_fallback",
        "negative_sentiment",
        "abusive_language",
        "some new reason",
    ],
)
async def test_every_reason_is_accepted(service: RunningService, domain: Dict[str, Any], reason: str) -> None:
    _agent_online(service)
    outcome = await run(
        ActionHandoff(context_of(service.url)), _tracker(domain, f"conv-{reason}", handoff_reason=reason), domain
    )
    assert outcome.responses == ["utter_handoff_queued"]
    assert service.desk.queue.open_for_conversation(f"conv-{reason}").reason == reason


async def test_with_nobody_online_a_message_is_offered_and_the_bot_keeps_going(
    service: RunningService, domain: Dict[str, Any]
) -> None:
    outcome = await run(ActionHandoff(context_of(service.url)), _tracker(domain, email="kim@example.com"), domain)
    assert outcome.responses == ["utter_handoff_no_agents", "utter_handoff_offer_message"]
    assert "within one working day" in rendered(outcome.messages[0], domain)
    assert all(event["event"] != "pause" for event in outcome.events)
    assert outcome.slots()["handoff_email"] == "kim@example.com"
    assert outcome.slots()["handoff_mode"] == "offline"
    assert service.desk.queue.list(HandoffStatus.WAITING) == []


async def test_outside_business_hours_the_customer_hears_when_we_reopen(
    closed_service: RunningService, domain: Dict[str, Any]
) -> None:
    _agent_online(closed_service)
    outcome = await run(ActionHandoff(context_of(closed_service.url)), _tracker(domain), domain)
    assert outcome.responses == ["utter_handoff_closed", "utter_handoff_offer_message"]
    text = rendered(outcome.messages[0], domain)
    assert "offline" in text and "after we open on Sunday at 03:00" in text
    assert all(event["event"] != "pause" for event in outcome.events)


async def test_service_down_means_an_apology_with_other_ways_to_reach_us(domain: Dict[str, Any]) -> None:
    context = context_of(f"http://127.0.0.1:{free_port()}")
    outcome = await run(ActionHandoff(context), _tracker(domain), domain)
    rating = await run(ActionStoreRating(context), _tracker(domain, rating=4), domain)
    assert outcome.responses == ["utter_handoff_unavailable"]
    text = rendered(outcome.messages[0], domain)
    assert "support@shop.example" in text and "+44" in text
    assert all(event["event"] != "pause" for event in outcome.events)
    assert rating.responses == ["utter_handoff_rating_not_saved"]


async def test_a_message_left_becomes_a_ticket(service: RunningService, domain: Dict[str, Any]) -> None:
    tracker = _tracker(
        domain,
        "conv-ticket",
        handoff_email="kim@example.com",
        handoff_message="My parcel never came",
        handoff_reply_by="within one working day",
        handoff_reason="damaged_goods",
    )
    outcome = await run(ActionLeaveMessage(context_of(service.url)), tracker, domain)
    assert outcome.responses == ["utter_handoff_message_received"]
    assert "kim@example.com within one working day" in rendered(outcome.messages[0], domain)
    [ticket] = service.desk.queue.list(HandoffStatus.WAITING)
    assert (ticket.customer_email, ticket.customer_message, ticket.reason) == (
        "kim@example.com",
        "My parcel never came",
        "damaged_goods",
    )


async def test_the_message_form_checks_email_and_text(context: StoreContext, domain: Dict[str, Any]) -> None:
    validator = ValidateHandoffMessageForm(context)
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    tracker = _tracker(domain)
    assert validator.validate_handoff_email(" kim@example.com ", dispatcher, tracker, domain) == {
        "handoff_email": "kim@example.com"
    }
    assert validator.validate_handoff_email("kim at example", dispatcher, tracker, domain) == {"handoff_email": None}
    assert validator.validate_handoff_message("   ", dispatcher, tracker, domain) == {"handoff_message": None}
    assert validator.validate_handoff_message("x" * 2001, dispatcher, tracker, domain) == {"handoff_message": None}
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_handoff_email_invalid",
        "utter_handoff_message_invalid",
        "utter_handoff_message_invalid",
    ]


async def test_handback_welcomes_the_customer_and_asks_for_a_rating(domain: Dict[str, Any]) -> None:
    outcome = await run(ActionHandback(), _tracker(domain, handoff_reason="complaint"), domain)
    assert outcome.responses == ["utter_handoff_welcome_back", "utter_ask_rating"]
    assert outcome.slots() == {"handoff_mode": None, "handoff_reason": None}


async def test_ratings_are_stored_with_their_comment(service: RunningService, domain: Dict[str, Any]) -> None:
    tracker = make_tracker(
        domain, slots={"rating": 4.0}, message=user_message("4, quick but I had to repeat myself", "rate")
    )
    outcome = await run(ActionStoreRating(context_of(service.url)), tracker, domain)
    assert outcome.responses == ["utter_thanks_for_rating"]
    [rating] = service.desk.transcripts.ratings(SENDER)
    assert (rating.score, rating.comment) == (4, "quick but I had to repeat myself")

    for wrong in (7.0, 3.5, None):
        refused = await run(
            ActionStoreRating(context_of(service.url)), make_tracker(domain, slots={"rating": wrong}), domain
        )
        assert refused.responses == ["utter_handoff_rating_invalid"]
    assert len(service.desk.transcripts.ratings(SENDER)) == 1
