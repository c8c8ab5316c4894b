"""Session start and restart: like Rasa's defaults, except that a conversation a person holds stays paused."""

from __future__ import annotations

import copy
from typing import Any, Dict, List

import pytest
from rasa.core.actions.action import ActionRestart as RasaActionRestart
from rasa.core.actions.action import ActionSessionStart as RasaActionSessionStart
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker

from actions.conversation_lifecycle import ActionRestart, ActionSessionStart, session_events
from bot.shared.settings import PROJECT_ROOT
from tests.actions.dialogue import SENDER, run

# A conversation handed to a person: verified, then paused by action_handoff.
HANDED_OVER: List[Dict[str, Any]] = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "where is ORD-100001", "parse_data": {"intent": {"name": "track_order"}}},
    {"event": "slot", "name": "order_number", "value": "ORD-100001"},
    {"event": "slot", "name": "verified", "value": True, "metadata": {"by": "validator"}},
    {"event": "action", "name": "action_handoff"},
    {"event": "slot", "name": "handoff_mode", "value": "live"},
    {"event": "pause"},
    {"event": "action", "name": "action_listen"},
]


def _tracker(events: List[Dict[str, Any]], paused: bool) -> Tracker:
    rasa_tracker = _rasa_tracker(events)
    assert rasa_tracker.is_paused() is paused  # the fixture says what Rasa would send
    # What RemoteAction sends the action server.
    return Tracker.from_dict(rasa_tracker.current_state(EventVerbosity.ALL))


def _rasa_tracker(events: List[Dict[str, Any]]) -> DialogueStateTracker:
    domain = _rasa_domain()
    return DialogueStateTracker.from_dict(SENDER, copy.deepcopy(events), domain.slots)


def _rasa_domain(carry_over: bool = False) -> Domain:
    data = Domain.load(str(PROJECT_ROOT / "domain.yml")).as_dict()
    data["session_config"]["carry_over_slots_to_new_session"] = carry_over
    return Domain.from_dict(data)


async def _rasa_default(action: Any, events: List[Dict[str, Any]], domain: Domain) -> List[Dict[str, Any]]:
    tracker = _rasa_tracker(events)
    produced: List[Event] = await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain
    )
    return [_comparable(event.as_dict()) for event in produced]


def _comparable(event: Dict[str, Any]) -> Dict[str, Any]:
    """The event as Rasa reads it back from the action server; timestamps are when each side built it."""
    parsed = Event.from_parameters(event).as_dict()
    return {key: value for key, value in parsed.items() if key != "timestamp"}


def _apply(events: List[Dict[str, Any]], produced: List[Dict[str, Any]]) -> DialogueStateTracker:
    return _rasa_tracker([*events, {"event": "action", "name": "action_session_start"}, *produced])


NOT_PAUSED = [event for event in HANDED_OVER if event["event"] != "pause"]


@pytest.mark.parametrize("carry_over", [False, True], ids=["fresh-slots", "carry-over"])
async def test_session_start_is_rasas_own_when_nobody_holds_the_chat(carry_over: bool) -> None:
    domain = _rasa_domain(carry_over)
    expected = await _rasa_default(RasaActionSessionStart(), NOT_PAUSED, domain)

    outcome = await run(ActionSessionStart(), _tracker(NOT_PAUSED, paused=False), domain.as_dict())

    assert [_comparable(event) for event in outcome.events] == expected
    assert outcome.messages == []


@pytest.mark.parametrize("carry_over", [False, True], ids=["fresh-slots", "carry-over"])
async def test_a_new_session_of_a_paused_conversation_stays_paused(carry_over: bool) -> None:
    domain = _rasa_domain(carry_over)

    outcome = await run(ActionSessionStart(), _tracker(HANDED_OVER, paused=True), domain.as_dict())

    kinds = [event["event"] for event in outcome.events]
    assert kinds[0] == "session_started"
    assert kinds[-2:] == ["pause", "action"] and outcome.events[-1]["name"] == "action_listen"
    carried = {event["name"]: event["value"] for event in outcome.events if event["event"] == "slot"}
    assert carried == ({"order_number": "ORD-100001", "verified": True, "handoff_mode": "live"} if carry_over else {})
    # Applied by Rasa, the new session is paused and holds the carried slots only.
    session = _apply(HANDED_OVER, outcome.events)
    assert session.is_paused()
    assert session.get_slot("handoff_mode") == ("live" if carry_over else None)
    assert outcome.messages == []


async def test_carried_slots_keep_their_metadata() -> None:
    domain = _rasa_domain(carry_over=True)
    expected = await _rasa_default(RasaActionSessionStart(), NOT_PAUSED, domain)

    outcome = await run(ActionSessionStart(), _tracker(NOT_PAUSED, paused=False), domain.as_dict())

    verified = next(event for event in outcome.events if event.get("name") == "verified")
    assert verified["metadata"] == {"by": "validator"}
    assert [_comparable(event) for event in outcome.events] == expected


async def test_only_the_current_session_is_carried_over() -> None:
    events = [
        {"event": "slot", "name": "product", "value": "from an earlier session"},
        *NOT_PAUSED,
        {"event": "user", "text": "x@y.z", "parse_data": {"intent": {"name": "inform"}}},
        {"event": "slot", "name": "email", "value": "reverted@example.com"},
        {"event": "rewind"},
    ]
    assert [event.get("name") for event in session_events(events) if event["event"] == "slot"] == [
        "order_number",
        "verified",
        "handoff_mode",
    ]


async def test_restart_is_rasas_own_when_nobody_holds_the_chat() -> None:
    domain = _rasa_domain()
    expected = await _rasa_default(RasaActionRestart(), NOT_PAUSED, domain)

    outcome = await run(ActionRestart(), _tracker(NOT_PAUSED, paused=False), domain.as_dict())

    assert [_comparable(event) for event in outcome.events] == expected == [{"event": "restart"}]
    assert outcome.messages == []


async def test_restart_says_the_restart_response_when_the_domain_has_one(domain: Dict[str, Any]) -> None:
    with_response = {**domain, "responses": {**domain["responses"], "utter_restart": [{"text": "Starting over."}]}}

    outcome = await run(ActionRestart(), _tracker(NOT_PAUSED, paused=False), with_response)

    assert outcome.responses == ["utter_restart"]
    assert outcome.events == [{"event": "restart", "timestamp": None}]


async def test_restart_while_a_person_holds_the_chat_does_nothing(domain: Dict[str, Any]) -> None:
    with_response = {**domain, "responses": {**domain["responses"], "utter_restart": [{"text": "Starting over."}]}}

    outcome = await run(ActionRestart(), _tracker(HANDED_OVER, paused=True), with_response)

    assert outcome.messages == []
    assert [event["event"] for event in outcome.events] == ["followup"]
    assert outcome.followup() == "action_listen"
    tracker = _rasa_tracker([*HANDED_OVER, {"event": "action", "name": "action_restart"}, *outcome.events])
    assert tracker.is_paused() and tracker.get_slot("verified") is True
