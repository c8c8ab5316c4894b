"""Asking for a person sets why and hands over."""

from __future__ import annotations

from typing import Any, Dict

from actions.escalation_events import ActionRequestHuman
from tests.actions.dialogue import make_tracker, run, user_message


async def test_asking_for_a_person_is_a_customer_request(domain: Dict[str, Any]) -> None:
    tracker = make_tracker(domain, message=user_message("agent please", "human_handoff"))
    outcome = await run(ActionRequestHuman(), tracker, domain)
    assert outcome.messages == []
    assert outcome.slots() == {"handoff_reason": "customer_request"}
    assert outcome.followup() == "action_handoff"


async def test_accepting_a_person_after_a_complaint_is_a_complaint(domain: Dict[str, Any]) -> None:
    tracker = make_tracker(domain, slots={"awaiting": "human_offer"}, message=user_message("yes", "affirm"))
    outcome = await run(ActionRequestHuman(), tracker, domain)
    assert outcome.slots() == {"handoff_reason": "complaint"}
