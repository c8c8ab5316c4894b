"""Opening a verified customer's context card is written to the audit log; an unverified visitor's is not."""

from __future__ import annotations

from typing import Callable, List

import requests
from sqlalchemy import select

from bot.service.reports import tables as report_tables
from tests.support.handoff_fixtures import RunningService, auth, escalate

VERIFIED = {"verified": True, "verified_email": "maria.keller@example.com", "order_number": "ORD-100001"}


def _views(service: RunningService) -> List[str]:
    with service.desk.engine.connect() as connection:
        return [row.customer_key for row in connection.execute(select(report_tables.record_views))]


def test_an_agent_reading_a_verified_customers_record_is_audited(
    service: RunningService, create_agent: Callable[..., str]
) -> None:
    token = create_agent(service, "dana")
    verified = escalate(service, "conv-verified", slots=VERIFIED).json()["handoff_id"]
    visitor = escalate(service, "conv-visitor").json()["handoff_id"]

    for handoff_id in (verified, visitor):
        answer = requests.get(f"{service.url}/api/handoffs/{handoff_id}/facts", headers=auth(token), timeout=10)
        assert answer.status_code == 200, answer.text

    views = _views(service)
    assert views == [f"handoff:{verified}"]
    assert not any("@" in key for key in views)
