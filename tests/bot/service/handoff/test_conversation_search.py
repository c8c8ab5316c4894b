"""Search over past conversations: by customer, by any typed form of an order number, by words; wildcards are text."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.service.handoff.conversation_search import ConversationSearch
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.records import Sender
from bot.service.handoff.transcript_repository import TranscriptRepository


def _seed(engine: Engine) -> dict:
    queue, transcripts = HandoffQueue(engine), TranscriptRepository(engine)
    order, _ = queue.open_live(
        "conv-order",
        "socketio",
        "customer_request",
        {"slots": {"order_number": "ORD-100123", "email": "maya@example.com"}},
    )
    said, _ = queue.open_live("conv-said", "socketio", "complaint", {"slots": {}})
    transcripts.add_message(said.id, Sender.CUSTOMER, "The blender arrived 100% broken")
    other, _ = queue.open_live("conv-other", "socketio", "customer_request", {"slots": {}})
    transcripts.add_message(other.id, Sender.CUSTOMER, "Where is my parcel?")
    return {"order": order.id, "said": said.id, "other": other.id}


def test_an_order_number_is_found_however_it_is_typed(engine: Engine) -> None:
    ids = _seed(engine)
    search = ConversationSearch(engine)
    for typed in ("ORD-100123", "ord100123", "#100123"):
        hits = search.search(typed)
        assert [hit.handoff_id for hit in hits] == [ids["order"]], typed
        assert hits[0].matched == "order"


def test_words_said_are_found_and_sql_wildcards_match_only_themselves(engine: Engine) -> None:
    ids = _seed(engine)
    search = ConversationSearch(engine)
    hits = search.search("blender")
    assert [hit.handoff_id for hit in hits] == [ids["said"]]
    assert hits[0].snippet is not None and "blender" in hits[0].snippet
    assert [hit.handoff_id for hit in search.search("100%")] == [ids["said"]]
    assert search.search("%%%") == []
    assert search.search("__") == []


def test_slot_names_are_not_searched_as_words(engine: Engine) -> None:
    _seed(engine)
    assert ConversationSearch(engine).search("order_number") == []
