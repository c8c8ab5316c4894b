"""A turn's reply time runs from the customer's message to the last bot line before `action_listen`."""

from __future__ import annotations

from typing import Any, Dict

from bot.service.reports.reply_latency import ReplyLatency


def _event(kind: str, at: float, sender: str = "web-1", **fields: Any) -> Dict[str, Any]:
    return {"event": kind, "sender_id": sender, "timestamp": at, **fields}


def _listen(at: float, sender: str = "web-1") -> Dict[str, Any]:
    return _event("action", at, sender, name="action_listen")


def test_the_reply_time_ends_at_the_last_bot_line_of_the_turn() -> None:
    latency = ReplyLatency()
    assert latency.take(_event("user", 100.0), "m1") is None
    assert latency.take(_event("bot", 100.4)) is None
    assert latency.take(_event("action", 100.5, name="action_check_order_status")) is None
    assert latency.take(_event("bot", 101.2)) is None

    reply = latency.take(_listen(101.3))

    assert reply is not None and reply.message_key == "m1" and round(reply.seconds, 3) == 1.2


def test_a_turn_without_a_bot_line_or_cut_short_has_no_reply_time() -> None:
    latency = ReplyLatency()
    latency.take(_event("user", 10.0), "paused")
    assert latency.take(_listen(10.1)) is None
    # an agent's line while the conversation is paused, then the customer writes again: no turn finished
    latency.take(_event("user", 20.0), "m2")
    latency.take(_event("bot", 80.0))
    latency.take(_event("user", 90.0), "m3")
    latency.take(_event("bot", 90.5))

    reply = latency.take(_listen(90.6))

    assert reply is not None and reply.message_key == "m3" and round(reply.seconds, 3) == 0.5


def test_conversations_are_followed_apart_and_the_oldest_open_turn_is_forgotten_first() -> None:
    latency = ReplyLatency(open_turns_limit=2)
    for number, sender in enumerate(("a", "b", "c")):
        latency.take(_event("user", float(number), sender), f"m-{sender}")
        latency.take(_event("bot", number + 0.25, sender))

    assert latency.take(_listen(5.0, "a")) is None
    found = latency.take(_listen(5.0, "c"))
    assert found is not None and found.message_key == "m-c" and found.seconds == 0.25
    assert latency.take({**_event("bot", 1.0), "sender_id": 42}) is None  # not a conversation id: ignored


def test_an_agents_line_in_a_paused_conversation_is_no_reply_of_rasa() -> None:
    """The bot service sends an agent's reply as a bot event and hands back with resume + action_listen."""
    latency = ReplyLatency()
    latency.take(_event("user", 10.0), "while-paused")
    latency.take(_event("bot", 70.0, metadata={"agent": "Dana"}))
    latency.take(_event("resume", 80.0))

    assert latency.take(_listen(80.0)) is None
