"""Event classes come from a table, with Rasa's own answers and errors."""

from __future__ import annotations

from typing import Iterator

import pytest
import rasa.shared.utils.common
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot.rasa_server import event_types


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[event_types.EventTypes]:
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
    original = Event.resolve_by_type
    yield event_types.install()
    assert Event.resolve_by_type.__wrapped_resolve__ is original  # type: ignore[attr-defined]


def rasas_answer(type_name: str) -> type:
    return next(cls for cls in rasa.shared.utils.common.all_subclasses(Event) if cls.type_name == type_name)


def test_every_event_type_resolves_to_rasas_class(installed: event_types.EventTypes) -> None:
    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is rasas_answer(name)


def test_events_still_round_trip(installed: event_types.EventTypes) -> None:
    events = [
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
        SlotSet("order_number", "ORD-1"),
        ActionExecuted("x"),
    ]
    assert [Event.from_parameters(event.as_dict()) for event in events] == events


def test_unknown_names_behave_as_in_rasa(installed: event_types.EventTypes) -> None:
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None


def test_a_class_imported_later_is_found(installed: event_types.EventTypes) -> None:
    Event.resolve_by_type("user")  # the table is built

    class LateEvent(SlotSet):
        type_name = "late_event_for_test"

    assert Event.resolve_by_type("late_event_for_test") is LateEvent
