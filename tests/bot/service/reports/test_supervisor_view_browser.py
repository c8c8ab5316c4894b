"""The supervisor view in headless Chromium on the scripted day: its figures and charts, the desk, transfers, unanswered questions."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator, Tuple

import aiohttp
import pytest
import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from bot.service.handoff import tables as handoff_schema
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.records import AgentRole
from bot.service.reports.turn_tail import TurnTail
from bot.shared.settings import PROJECT_ROOT
from tests.support.handoff_fixtures import (
    HandoffDatabase,
    RunningService,
    StandInRasa,
    auth,
    eventually,
    service_settings,
)
from tests.support.scripted_day import DAY, RasaEvents, play_day

pytestmark = pytest.mark.parametrize("handoff_database", ["sqlite"], indirect=True)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "browser"
BITCOIN = ("can I pay with bitcoin", "can i pay in bitcoin?")


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _play(engine: Any, stand_in: StandInRasa, events: RasaEvents) -> None:
    async def day() -> None:
        async with aiohttp.ClientSession() as session:
            await play_day(engine, session, stand_in.url, events)

    asyncio.run(day())
    # two customers ask the same thing the assistant has no answer for, inside conversations of the day
    events.user("web-bot", DAY + timedelta(hours=9, minutes=2), BITCOIN[0], "nlu_fallback")
    events.user("web-again", DAY + timedelta(hours=12, minutes=1), BITCOIN[1], "nlu_fallback")
    TurnTail(engine, str(events.path)).process_available()


@pytest.fixture
def day_service(
    handoff_database: HandoffDatabase, stand_in: StandInRasa, tmp_path: Path
) -> Iterator[Tuple[RunningService, int]]:
    """The scripted day played into the database, then the service over it, talking to the stand-in Rasa."""
    engine = handoff_database.engine()
    _play(engine, stand_in, RasaEvents(tmp_path / "events.db"))
    agents = AgentRepository(engine)
    sam = agents.create("sam", "Sam", "password-123", 5)
    agents.set_role(sam.id, AgentRole.SUPERVISOR)
    agents.create("lee", "Lee", "password-123", 2)
    table = handoff_schema.handoffs
    with engine.connect() as connection:
        lost = connection.execute(select(table.c.id).where(table.c.conversation_id == "web-lost")).scalar_one()
    engine.dispose()
    settings = replace(service_settings(handoff_database, tmp_path, rasa_url=stand_in.url))
    running = RunningService(settings, handoff_database.schema).start()
    yield running, int(lost)
    running.stop()


def _log_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill("password-123")
    page.get_by_test_id("login-submit").click()


def _figure(page: Page, name: str) -> str:
    return page.get_by_test_id(f"figure-{name}-value").inner_text()


def _chart(page: Page, canvas: str) -> Any:
    return page.evaluate(
        "(id) => { const c = Chart.getChart(document.getElementById(id));"
        " return {labels: c.data.labels, data: c.data.datasets.map((d) => d.data)}; }",
        canvas,
    )


def test_an_agent_without_the_role_is_refused(day_service: Tuple[RunningService, int], browser: Browser) -> None:
    service, _ = day_service
    page = browser.new_page()
    _log_in(page, f"{service.url}/console", "dana")
    page.get_by_test_id("stream-state").filter(has_text="live").wait_for()
    page.get_by_test_id("supervisor-link").click()
    # the console's session carries over to the supervisor page, which refuses it
    refusal = page.get_by_test_id("supervisor-refusal")
    expect(refusal).to_be_visible()
    assert "Dana, an agent" in refusal.inner_text() and "supervisors only" in refusal.inner_text()
    assert not page.get_by_test_id("supervisor-view").is_visible()
    assert page.get_by_test_id("figures").inner_text() == ""


def test_a_supervisor_sees_the_day_moves_chats_and_labels_what_the_assistant_missed(
    day_service: Tuple[RunningService, int], stand_in: StandInRasa, browser: Browser
) -> None:
    service, lost = day_service
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.set_default_timeout(15_000)
    _log_in(page, f"{service.url}/console/supervisor", "sam")
    page.get_by_test_id("period-from").fill("2026-07-01")
    page.get_by_test_id("period-to").fill("2026-07-01")
    page.get_by_test_id("period-show").click()
    expect(page.get_by_test_id("announcer")).to_have_text("Showing 2026-07-01 to 2026-07-01")

    # the numbers of the scripted day (tests/bot/service/reports/test_scripted_day.py)
    expected = {
        "conversations": "6",
        "contained": "2",
        "containment_rate": "33.3 %",
        "escalated": "3",
        "abandoned": "1",
        "first_response_seconds_p50": "3 min",
        "first_response_seconds_p90": "7 min",
        "handle_seconds_p50": "10 min",
        "resolved": "1",
        "csat_mean": "3.5",
        "csat_positive_rate": "50 %",
        "csat_responses": "2",
    }
    assert {name: _figure(page, name) for name in expected} == expected
    conversations = _chart(page, "chart-conversations")
    assert len(conversations["labels"]) == 24 and conversations["labels"][9] == "09:00"
    assert sum(conversations["data"][0]) == 6 and sum(conversations["data"][1]) == 2
    reasons = _chart(page, "chart-reasons")
    assert dict(zip(reasons["labels"], reasons["data"][0], strict=True)) == {
        "asked for a person": 2,
        "the assistant did not understand twice": 1,
    }
    assert _chart(page, "chart-first-response")["data"] == [[3, 7]]
    csat = _chart(page, "chart-csat")["data"][0]
    assert csat[11] == 5 and csat[14] == 2

    # the desk: the abandoned chat still waits, nobody holds it; Dana has no chat now
    row = page.locator(f'[data-testid="live-chat"][data-handoff-id="{lost}"]')
    assert page.get_by_test_id("chat-count").inner_text() == "1"
    assert row.get_by_test_id("live-chat-agent").inner_text() == "nobody yet"
    assert row.get_by_test_id("live-chat-status").inner_text() == "waiting (#1)"
    assert "waiting" in row.get_by_test_id("live-chat-wait").inner_text()
    dana = page.locator('[data-testid="agent-row"]').filter(has_text="Dana")
    assert dana.get_by_test_id("agent-load").inner_text() == "0 of 5 chats"
    assert dana.get_by_test_id("agent-status").inner_text() == "offline"

    # the unanswered questions: the two bitcoin questions form one group, first
    expect(page.get_by_test_id("unanswered-count")).to_have_text("4")
    first = page.get_by_test_id("unanswered-group").first
    assert first.locator("strong").inner_text() == "2 × asked like this"
    assert set(first.get_by_test_id("unanswered-text").all_inner_texts()) == set(BITCOIN)
    question = first.get_by_test_id("unanswered-question").first
    question.get_by_test_id("label-intent").fill("payment_methods")
    question.get_by_test_id("label-submit").click()
    expect(question.get_by_test_id("unanswered-label")).to_have_text("labelled payment_methods")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "supervisor-view.png"), full_page=True)

    # transfer to Lee with a note: the customer is told who joined
    lee = page.locator('[data-testid="agent-row"]').filter(has_text="Lee").get_attribute("data-agent-id")
    row.get_by_test_id("transfer-to").select_option(lee)
    row.get_by_test_id("transfer-note").fill("Lost twice by the bot; please start with an apology")
    row.get_by_test_id("transfer-submit").click()
    expect(row.get_by_test_id("live-chat-agent")).to_have_text("Lee")
    expect(row.get_by_test_id("live-chat-status")).to_have_text("active")
    expect(page.locator('[data-testid="agent-row"]').filter(has_text="Lee").get_by_test_id("agent-load")).to_have_text(
        "1 of 2 chats"
    )
    assert eventually(lambda: "Lee from our support team has joined the chat." in stand_in.bot_texts("web-lost"))
    token = requests.post(
        f"{service.url}/api/agents/login", json={"username": "lee", "password": "password-123"}, timeout=10
    ).json()["token"]
    notes = requests.get(f"{service.url}/api/handoffs/{lost}", headers=auth(token), timeout=10).json()["notes"]
    assert [note["text"] for note in notes] == [
        "Transferred to Lee by Sam: Lost twice by the bot; please start with an apology"
    ]

    # and back to the queue: the customer hears their place again
    row.get_by_test_id("transfer-to").select_option("")
    row.get_by_test_id("transfer-note").fill("Lee is off now")
    row.get_by_test_id("transfer-submit").click()
    expect(row.get_by_test_id("live-chat-agent")).to_have_text("nobody yet")
    assert eventually(
        lambda: "You're next in line; an agent will be with you shortly." in stand_in.bot_texts("web-lost")
    )

    exported = requests.get(
        f"{service.url}/api/reports/unanswered.yml", headers=auth(_token(service, "sam")), timeout=10
    )
    assert exported.status_code == 200
    assert exported.text.startswith('version: "3.1"\nnlu:\n- intent: payment_methods\n  examples: |\n    - ')
    assert exported.text.splitlines()[-1].strip("- ") in BITCOIN


def _token(service: RunningService, username: str) -> str:
    body = {"username": username, "password": "password-123"}
    return str(requests.post(f"{service.url}/api/agents/login", json=body, timeout=10).json()["token"])
