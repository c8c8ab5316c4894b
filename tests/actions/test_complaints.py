"""Complaints: a story is asked for when only announced, then recorded, and a person is offered."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from sqlalchemy import select

from actions.complaints import ActionRecordComplaint, ValidateComplaintForm, describes_what_happened
from bot.demo.showcase import SHIPPED
from bot.store.context import StoreContext
from bot.store.tables import complaints
from tests.actions.dialogue import SENDER, form_tracker, make_tracker, run

FORM = "complaint_form"


@pytest.mark.parametrize("text", ["i want to make a complaint", "this is unacceptable", "", "😡😡😡"])
async def test_an_announced_complaint_asks_what_happened(
    context: StoreContext, domain: Dict[str, Any], text: str
) -> None:
    outcome = await run(ValidateComplaintForm(context), form_tracker(domain, FORM, {"complaint_text": text}), domain)
    assert outcome.slots()["complaint_text"] is None
    assert outcome.messages == []  # the form asks with utter_ask_complaint_text


async def test_a_described_complaint_is_kept(context: StoreContext, domain: Dict[str, Any]) -> None:
    text = "The courier threw my parcel over the fence and the screen cracked"
    outcome = await run(ValidateComplaintForm(context), form_tracker(domain, FORM, {"complaint_text": text}), domain)
    assert outcome.slots()["complaint_text"] == text


async def test_an_overlong_complaint_is_asked_to_be_shorter(context: StoreContext, domain: Dict[str, Any]) -> None:
    text = "terrible service " * 400
    outcome = await run(ValidateComplaintForm(context), form_tracker(domain, FORM, {"complaint_text": text}), domain)
    assert outcome.slots()["complaint_text"] is None
    assert outcome.responses == ["utter_complaint_too_long"]


async def test_the_complaint_is_recorded_and_a_person_offered(
    context: StoreContext, store_engine, domain: Dict[str, Any]
) -> None:
    text = "Die Lieferung kam zwei Wochen zu spät und niemand hat geantwortet — sehr enttäuscht 😞"
    tracker = make_tracker(domain, slots={"complaint_text": text, "order_number": SHIPPED.number})
    outcome = await run(ActionRecordComplaint(context), tracker, domain)
    assert outcome.responses == ["utter_complaint_recorded", "utter_offer_human"]
    assert outcome.slots() == {"complaint_text": None, "awaiting": "human_offer"}
    with store_engine.connect() as connection:
        row = connection.execute(select(complaints).where(complaints.c.id == outcome.messages[0]["complaint_id"])).one()
    assert (row.text, row.conversation_id, row.order_number) == (text, SENDER, SHIPPED.number)


def test_short_messages_only_announce() -> None:
    assert not describes_what_happened("I want to complain")
    assert describes_what_happened("my laptop arrived broken and support never called back")
