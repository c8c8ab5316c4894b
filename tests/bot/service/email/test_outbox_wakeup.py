"""On PostgreSQL a mail queued by another process wakes the sender at once; its poll would not come for an hour."""

from __future__ import annotations

import asyncio
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.service.email.outbox_wakeup import OutboxWakeup, listens_for_notifications
from bot.service.email.outbox_worker import MailOutboxWorker, MailRetryPolicy
from bot.service.email.smtp_sender import SmtpSender
from bot.shared.email.settings import SmtpSettings
from bot.shared.email.tables import create_email_tables
from bot.store.tables import create_schema
from tests.bot.service.email.outbox_mails import FROM, queue_mails
from tests.support.handoff_fixtures import HandoffDatabase, database_for
from tests.support.smtp_standin import SmtpStandIn

# far beyond the test's wait: a mail that arrives was sent because the notification woke the sender
HOUR_POLL = MailRetryPolicy(poll_seconds=3600)
WAIT_SECONDS = 30


@pytest.fixture
def postgres(tmp_path) -> Iterator[HandoffDatabase]:  # type: ignore[no-untyped-def]
    with database_for("postgresql", tmp_path) as database:
        yield database


@pytest.fixture
def smtp() -> Iterator[SmtpStandIn]:
    server = SmtpStandIn().start()
    yield server
    server.stop()


def test_a_mail_queued_by_another_process_wakes_the_sender_without_waiting_for_its_poll(
    postgres: HandoffDatabase, smtp: SmtpStandIn
) -> None:
    service_engine, other_process = postgres.engine(), postgres.engine()
    create_schema(service_engine)
    create_email_tables(service_engine)
    assert listens_for_notifications(service_engine)

    async def scenario() -> str:
        worker = MailOutboxWorker(service_engine, SmtpSender(SmtpSettings.from_url(smtp.url)), FROM, HOUR_POLL)
        wakeup = OutboxWakeup(service_engine, worker.wake)
        wakeup.start()
        task = asyncio.ensure_future(worker.run_forever())
        try:
            await asyncio.sleep(0.5)  # the sender's first round is over: it now waits for its poll or a wake
            assert smtp.received == []
            [message_id] = await asyncio.to_thread(queue_mails, other_process, 1)
            await asyncio.to_thread(smtp.wait_for, "customer-0@example.com", lambda _: True, WAIT_SECONDS)
            return message_id
        finally:
            wakeup.stop()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    try:
        message_id = asyncio.run(scenario())
    finally:
        service_engine.dispose()
        other_process.dispose()
    assert [mail.header("Message-ID") for mail in smtp.received] == [f"<{message_id}>"]


def test_sqlite_has_no_notifications_and_keeps_the_poll(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with database_for("sqlite", tmp_path) as database:
        engine: Engine = database.engine()
        try:
            assert not listens_for_notifications(engine)
        finally:
            engine.dispose()
