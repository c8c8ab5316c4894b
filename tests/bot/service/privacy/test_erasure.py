"""Erasing a customer leaves their e-mail, phone and name in no store, and the day's report counts unchanged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import List

import aiohttp
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine

from bot.service.privacy.office import PrivacyOffice
from bot.service.privacy.rasa_events import RasaEventsTable
from bot.service.reports.turn_tail import TurnTail
from bot.shared.email.tables import create_email_tables
from bot.store import tables as store
from tests.support.handoff_fixtures import StandInRasa
from tests.support.scripted_day import (
    CUSTOMER_EMAIL,
    CUSTOMER_NAME,
    CUSTOMER_PHONE,
    DAY,
    RasaEvents,
    play_day,
    report_day,
)

NEEDLES = (CUSTOMER_EMAIL, CUSTOMER_NAME, CUSTOMER_PHONE, "5550123")
# the same customer on WhatsApp: the conversation id is their number, and they write it the national way
WHATSAPP_ID = "whatsapp:+491715550123"


def _every_text_in(engine: Engine) -> List[str]:
    """Every value of every row of every table in the database, as text."""
    found = []
    reflected = MetaData()
    reflected.reflect(engine)
    with engine.connect() as connection:
        for table in reflected.sorted_tables:
            for row in connection.execute(table.select()):
                found += [str(value) for value in row]
    return found


def _seed_store(engine: Engine) -> None:
    store.create_schema(engine)
    create_email_tables(engine)
    with engine.begin() as connection:
        connection.execute(store.customers.insert().values(name=CUSTOMER_NAME, email=CUSTOMER_EMAIL, created_at=DAY))
        connection.execute(
            text("INSERT INTO email_outbox (recipient, subject, body, created_at) VALUES (:r, 'Invoice', 'x', :at)"),
            {"r": CUSTOMER_EMAIL, "at": DAY},
        )


def _tracker_store_from(broker: RasaEvents, tmp_path: Path) -> RasaEvents:
    """Rasa's tracker store holding the same events as the broker table, as in a real deployment."""
    tracker = RasaEvents(tmp_path / "rasa.db")
    for data in broker.texts():
        with tracker.engine.begin() as connection:
            connection.execute(text("INSERT INTO events (sender_id, data) VALUES ('web-kim', :d)"), {"d": data})
    return tracker


def _office_over(engine: Engine, tracker: RasaEvents, broker: RasaEvents) -> PrivacyOffice:
    return PrivacyOffice(
        engine,
        [
            RasaEventsTable("rasa_tracker_store", f"sqlite:///{tracker.path}"),
            RasaEventsTable("rasa_event_broker", f"sqlite:///{broker.path}"),
        ],
    )


async def test_erasure_leaves_no_personal_data_and_the_counts(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    broker = RasaEvents(tmp_path / "events.db")
    await play_day(engine, http_session, stand_in.url, broker)
    _seed_store(engine)
    tracker = _tracker_store_from(broker, tmp_path)
    before = report_day(engine)
    office = _office_over(engine, tracker, broker)
    exported = office.export(CUSTOMER_EMAIL.upper())
    assert "web-kim" in exported["conversation_ids"]
    assert exported["customers"][0]["name"] == CUSTOMER_NAME
    assert any(CUSTOMER_PHONE in message["text"] for message in exported["messages"])

    erasure = office.erase(CUSTOMER_EMAIL)
    office.close()

    assert erasure.conversations >= 1
    stores = {
        "service database": _every_text_in(engine),
        "tracker store": tracker.texts(),
        "event broker": broker.texts(),
    }
    for name, values in stores.items():
        for needle in NEEDLES:
            assert not any(needle.lower() in value.lower() for value in values), (name, needle)
    after = report_day(engine)
    for figure in (
        "conversations",
        "escalated",
        "resolved",
        "csat_responses",
        "csat_mean",
        "first_response_seconds_p50",
    ):
        assert after[figure] == before[figure], figure


async def test_an_unknown_customer_is_erased_nowhere(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    broker = RasaEvents(tmp_path / "events.db")
    await play_day(engine, http_session, stand_in.url, broker)
    before = broker.texts()
    office = PrivacyOffice(engine, [RasaEventsTable("rasa_event_broker", f"sqlite:///{broker.path}")])

    assert office.erase("nobody@example.com").conversations == 0
    office.close()
    assert broker.texts() == before


async def test_erasure_by_phone_reaches_every_store_and_leaves_the_counts(
    engine: Engine, stand_in: StandInRasa, http_session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    broker = RasaEvents(tmp_path / "events.db")
    await play_day(engine, http_session, stand_in.url, broker)
    broker.user(WHATSAPP_ID, DAY + timedelta(hours=16), "hallo, hier 0171 5550123", "greet")
    TurnTail(engine, str(broker.path)).process_available()
    _seed_store(engine)
    tracker = _tracker_store_from(broker, tmp_path)
    before = report_day(engine)
    office = _office_over(engine, tracker, broker)
    exported = office.export(phone="0171 555 01 23", region="DE")
    assert exported["phone"] == "+491715550123"
    assert {"web-kim", WHATSAPP_ID} <= set(exported["conversation_ids"])
    assert "web-bot" not in exported["conversation_ids"]
    # the address Kim proved in the handoff leads to her store record
    assert exported["email"] == CUSTOMER_EMAIL and exported["customers"][0]["name"] == CUSTOMER_NAME

    erasure = office.erase(phone="+49 171 5550123")
    office.close()

    assert erasure.conversations == len(exported["conversation_ids"])
    stores = {
        "service database": _every_text_in(engine),
        "tracker store": tracker.texts(),
        "event broker": broker.texts(),
    }
    for name, values in stores.items():
        for needle in (*NEEDLES, "491715550123", "0171 5550123"):
            assert not any(needle.lower() in value.lower() for value in values), (name, needle)
    assert any("web-bot" in value for value in broker.texts())  # another customer's conversation stays
    after = report_day(engine)
    assert after["conversations"] == before["conversations"] == 7
    for figure in ("contained", "escalated", "resolved", "csat_responses", "csat_mean", "first_response_seconds_p50"):
        assert after[figure] == before[figure], figure
