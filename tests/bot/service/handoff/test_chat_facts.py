"""The context card's facts: the verified customer's record holds their earlier chats with notes and ratings."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.chat_facts import chat_facts
from bot.service.handoff.queue_repository import HandoffQueue
from bot.service.handoff.records import CloseOutcome
from bot.service.handoff.transcript_repository import TranscriptRepository

EMAIL = "maria.keller@example.com"
VERIFIED = {"verified": True, "verified_email": EMAIL, "email": EMAIL}


def test_earlier_chats_of_the_verified_customer_carry_their_notes_and_rating(engine: Engine) -> None:
    queue, transcripts = HandoffQueue(engine), TranscriptRepository(engine)
    dana = AgentRepository(engine).create("dana", "Dana", "password-123", 3).id
    earlier, _ = queue.open_live("conv-earlier", "socketio", "customer_request", {"slots": VERIFIED})
    queue.claim(earlier.id, dana, 3)
    transcripts.add_note(earlier.id, dana, "Refund promised for the scratched case")
    transcripts.add_rating("conv-earlier", 4, "quick and kind", earlier.id, dana)
    queue.close(earlier.id, dana, CloseOutcome.RESOLVED)
    someone_else, _ = queue.open_live("conv-other", "socketio", "customer_request", {"slots": {}})
    transcripts.add_note(someone_else.id, dana, "Not this customer's")
    now, _ = queue.open_live("conv-now", "socketio", "complaint", {"slots": VERIFIED})

    facts = chat_facts(engine, now, VERIFIED)

    assert [chat.handoff_id for chat in facts.earlier_chats] == [earlier.id]
    (chat,) = facts.earlier_chats
    assert chat.notes == ["Refund promised for the scratched case"]
    assert (chat.rating, chat.rating_comment) == (4, "quick and kind")


def test_an_unverified_visitor_sees_only_their_own_conversation_history(engine: Engine) -> None:
    queue = HandoffQueue(engine)
    queue.open_live("conv-a", "socketio", "customer_request", {"slots": VERIFIED})
    typed_only = {"email": EMAIL}  # typed, never proven: not the customer's record
    now, _ = queue.open_live("conv-b", "socketio", "customer_request", {"slots": typed_only})
    assert chat_facts(engine, now, typed_only).earlier_chats == []
