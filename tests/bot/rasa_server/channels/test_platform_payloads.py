"""Reading customer messages out of the platforms' webhook payloads, and text fallbacks for choices."""

from __future__ import annotations

from bot.rasa_server.channels.messenger import incoming_messages
from bot.rasa_server.channels.plain_text import with_choices_as_text
from bot.rasa_server.channels.telegram import message_of


def test_messenger_text_quick_reply_and_postback_are_read_echoes_skipped() -> None:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "PAGE",
                "time": 1,
                "messaging": [
                    {"sender": {"id": "U1"}, "recipient": {"id": "PAGE"}, "message": {"mid": "m1", "text": "hi"}},
                    {
                        "sender": {"id": "U2"},
                        "message": {"mid": "m2", "text": "Yes", "quick_reply": {"payload": "/affirm"}},
                    },
                    {"sender": {"id": "U3"}, "postback": {"title": "No", "payload": "/deny"}},
                    {"sender": {"id": "PAGE"}, "message": {"mid": "m4", "text": "echo", "is_echo": True}},
                    {"sender": {"id": "U4"}, "delivery": {"mids": ["m1"]}},
                    {"sender": "garbage", "message": {"text": "x"}},
                ],
            },
            "not an entry",
        ],
    }
    assert list(incoming_messages(payload)) == [("U1", "hi"), ("U2", "/affirm"), ("U3", "/deny")]


def test_messenger_payload_without_entries_yields_nothing() -> None:
    assert list(incoming_messages({"object": "page", "entry": "nope"})) == []


def test_telegram_message_button_and_start_are_read() -> None:
    message = {
        "update_id": 1,
        "message": {"message_id": 5, "chat": {"id": 42, "type": "private"}, "text": "where is my order"},
    }
    assert message_of(message) == ("42", "where is my order", None)
    button = {
        "update_id": 2,
        "callback_query": {"id": "cb1", "data": "/affirm", "message": {"message_id": 6, "chat": {"id": 42}}},
    }
    assert message_of(button) == ("42", "/affirm", "cb1")
    start = {"update_id": 3, "message": {"message_id": 7, "chat": {"id": 42}, "text": "/start"}}
    assert message_of(start) == ("42", "hello", None)


def test_telegram_updates_without_text_are_ignored() -> None:
    assert message_of({"update_id": 4, "message": {"chat": {"id": 1}, "sticker": {}}}) is None
    assert message_of({"update_id": 5, "poll": {}}) is None
    assert message_of({"update_id": 6, "callback_query": {"id": "x", "data": "/a"}}) is None


def test_choices_become_a_list_the_customer_can_type_back() -> None:
    text = with_choices_as_text(
        "Cancel ORD-100002?", [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    )
    assert text == "Cancel ORD-100002?\n\nReply with one of:\n- Yes\n- No"
    assert with_choices_as_text("Plain", []) == "Plain"
