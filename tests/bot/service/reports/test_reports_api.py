"""The reports API over HTTP: supervisors only, JSON and CSV, a wrong period is a 400."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.records import AgentRole
from tests.support.handoff_fixtures import HandoffDatabase, RunningService, auth, escalate, service_settings


@pytest.fixture
def service(handoff_database: HandoffDatabase, tmp_path: Path) -> Iterator[RunningService]:
    running = RunningService(service_settings(handoff_database, tmp_path), handoff_database.schema).start()
    yield running
    running.stop()


@pytest.fixture
def tokens(service: RunningService, engine: Any) -> Any:
    agents = AgentRepository(engine)
    sam = agents.create("sam", "Sam", "password-123", 3)
    agents.set_role(sam.id, AgentRole.SUPERVISOR)
    agents.create("dana", "Dana", "password-123", 3)

    def login(name: str) -> str:
        body = {"username": name, "password": "password-123"}
        return str(requests.post(f"{service.url}/api/agents/login", json=body, timeout=10).json()["token"])

    return login("sam"), login("dana")


@pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)
def test_supervisors_read_reports_and_agents_do_not(service: RunningService, tokens: Any) -> None:
    supervisor, agent = tokens
    online = {"status": "online"}
    requests.post(f"{service.url}/api/agents/me/status", json=online, headers=auth(agent), timeout=10)
    assert escalate(service, "conv-report").json()["mode"] == "live"
    url = f"{service.url}/api/reports"

    summary = requests.get(f"{url}/summary", headers=auth(supervisor), timeout=10)
    assert summary.status_code == 200, summary.text
    assert summary.json()["escalated"] == 1
    assert summary.json()["escalation_reasons"] == {"customer_request": 1}
    assert requests.get(f"{url}/summary", headers=auth(agent), timeout=10).status_code == 403
    assert requests.get(f"{url}/summary", timeout=10).status_code == 401

    as_csv = requests.get(f"{url}/summary.csv", headers=auth(supervisor), timeout=10)
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert "escalated,1" in as_csv.text.splitlines()

    series = requests.get(f"{url}/timeseries?metric=escalated&interval=hour", headers=auth(supervisor), timeout=10)
    assert series.status_code == 200 and len(series.json()["points"]) == 24
    assert sum(point["value"] for point in series.json()["points"]) == 1

    backwards = requests.get(f"{url}/summary?from=2026-07-02&to=2026-07-01", headers=auth(supervisor), timeout=10)
    assert backwards.status_code == 400
    assert requests.get(f"{url}/timeseries?metric=nonsense", headers=auth(supervisor), timeout=10).status_code == 400
    erase = requests.post(
        f"{service.url}/api/privacy/erase", json={"email": "nobody@example.com"}, headers=auth(supervisor), timeout=10
    )
    assert erase.status_code == 200 and erase.json()["conversations"] == 0
    by_phone = requests.post(
        f"{service.url}/api/privacy/export", json={"phone": "0171 5550199", "region": "de"}, headers=auth(supervisor)
    )
    assert by_phone.status_code == 200 and by_phone.json()["phone"] == "+491715550199"
    for wrong in (
        {"phone": "call me maybe"},
        {"phone": "0171 5550199"},
        {"email": "a@b.c", "phone": "+4917155501"},
        {},
    ):
        refused = requests.post(f"{service.url}/api/privacy/erase", json=wrong, headers=auth(supervisor), timeout=10)
        assert refused.status_code == 400, (wrong, refused.text)
    metrics = requests.get(f"{service.url}/metrics", timeout=10)
    assert metrics.status_code == 200 and "support_handoffs_total" in metrics.text
