"""With the real Rasa server and action server: the bot stays silent while a person holds the chat."""

from __future__ import annotations

import time
from typing import Any, Dict, List

from tests.support.rest_chat import append_events, events_after, new_sender, replace_events, say, tracker
from tests.support.stack import Stack

TWO_HOURS = 2 * 60 * 60


def _handed_over_long_ago(started: float) -> List[Dict[str, Any]]:
    """A conversation a person took over two hours ago; the session (60 minutes) has expired since."""
    return [
        {"event": "action", "name": "action_session_start", "timestamp": started},
        {"event": "session_started", "timestamp": started + 0.1},
        {"event": "action", "name": "action_listen", "timestamp": started + 0.2},
        {
            "event": "user",
            "text": "I'd like to talk to a person",
            "parse_data": {"intent": {"name": "human_handoff", "confidence": 1.0}, "entities": []},
            "timestamp": started + 1,
        },
        {"event": "action", "name": "action_handoff", "timestamp": started + 2},
        {"event": "slot", "name": "handoff_mode", "value": "live", "timestamp": started + 2.1},
        {"event": "pause", "timestamp": started + 2.2},
        {"event": "action", "name": "action_listen", "timestamp": started + 2.3},
    ]


def test_a_paused_conversation_stays_silent_across_session_expiry(running_stack: Stack) -> None:
    sender = new_sender("expired-handoff")
    replace_events(running_stack, sender, _handed_over_long_ago(time.time() - TWO_HOURS))
    before = len(tracker(running_stack, sender)["events"])

    assert say(running_stack, sender, "hello? is anyone there?") == []

    after = tracker(running_stack, sender)
    assert after["paused"] is True
    # A new session was started (by our action_session_start), and paused again straight after.
    new_events = events_after(after["events"], before)
    assert new_events[: new_events.index("user") + 1] == [
        "action:action_session_start",
        "session_started",
        "pause",
        "action:action_listen",
        "user",
    ]
    assert not any(event["event"] == "bot" for event in after["events"])


def test_restart_while_paused_neither_restarts_nor_speaks(running_stack: Stack) -> None:
    sender = new_sender("restart-in-handoff")
    say(running_stack, sender, "/greet")
    append_events(running_stack, sender, [{"event": "pause"}])
    before = len(tracker(running_stack, sender)["events"])

    assert say(running_stack, sender, "/restart") == []
    assert say(running_stack, sender, "hello?") == []

    after = tracker(running_stack, sender)
    assert after["paused"] is True
    new_events = events_after(after["events"], before)
    assert "restart" not in new_events and "session_started" not in new_events
    turns = [kind for kind in new_events if kind == "user" or kind.startswith("action:")]
    assert turns == ["user", "action:action_restart", "action:action_listen", "user"]
    assert "bot" not in new_events


def test_without_a_person_restart_and_new_sessions_work_as_in_rasa(running_stack: Stack) -> None:
    sender = new_sender("plain-restart")
    assert say(running_stack, sender, "/greet")

    assert say(running_stack, sender, "/restart") == []

    after_restart = tracker(running_stack, sender)
    kinds = events_after(after_restart["events"], 0)
    restart_at = kinds.index("restart")
    assert kinds[restart_at - 1] == "action:action_restart"
    assert kinds[restart_at + 1 : restart_at + 4] == [
        "action:action_session_start",
        "session_started",
        "action:action_listen",
    ]
    assert after_restart["paused"] is False
    assert say(running_stack, sender, "/greet")  # the bot answers again


def test_without_a_person_an_expired_session_starts_afresh(running_stack: Stack) -> None:
    sender = new_sender("plain-expiry")
    history = [event for event in _handed_over_long_ago(time.time() - TWO_HOURS) if event["event"] != "pause"]
    replace_events(running_stack, sender, history)

    assert say(running_stack, sender, "/greet")

    current = tracker(running_stack, sender, all_sessions=False)
    assert current["paused"] is False
    assert current["slots"]["handoff_mode"] is None  # session_config: no slots carried over
