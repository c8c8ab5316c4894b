"""The mail outbox sender against a real database (SQLite and PostgreSQL) and a real SMTP server on loopback.

Two senders on one database stand for two bot service instances: each has its own engine and event loop in
its own thread, and runs the production loop (`run_forever`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from datetime import timedelta
from typing import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from bot.service.email.outbox_worker import MailOutboxWorker, MailRetryPolicy
from bot.service.email.smtp_sender import SmtpSender
from bot.shared.clock import utc_now
from bot.shared.email.outbox import MailOutbox, MailState
from bot.shared.email.settings import SmtpSettings
from bot.shared.email.tables import create_email_tables, outbox
from bot.store.tables import create_schema
from tests.bot.service.email.outbox_mails import FROM, queue_mails
from tests.support.handoff_fixtures import HandoffDatabase
from tests.support.smtp_standin import SmtpStandIn

FAST = MailRetryPolicy(poll_seconds=0.05, first_delay_seconds=0.1, max_delay_seconds=0.5, lease_seconds=30)


@pytest.fixture
def smtp() -> Iterator[SmtpStandIn]:
    server = SmtpStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def mail_engine(engine: Engine) -> Engine:
    create_schema(engine)  # the store's invoice copies, which the sender moves into its outbox
    create_email_tables(engine)
    return engine


def _unsent(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(outbox).where(outbox.c.state != MailState.SENT.value)
            ).scalar_one()
        )


def _received_ids(smtp: SmtpStandIn) -> Counter:
    return Counter(mail.header("Message-ID").strip("<>") for mail in list(smtp.received))


class SenderInstance(threading.Thread):
    """One bot service's sender: its own engine and event loop, the production loop until told to stop."""

    def __init__(self, database: HandoffDatabase, smtp: SmtpStandIn) -> None:
        super().__init__(daemon=True)
        self._database = database
        self._smtp_url = smtp.url
        self._stop_at = threading.Event()

    def run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        engine = self._database.engine()
        worker = MailOutboxWorker(engine, SmtpSender(SmtpSettings.from_url(self._smtp_url)), FROM, FAST)
        task = asyncio.ensure_future(worker.run_forever())
        while not self._stop_at.is_set():
            await asyncio.sleep(0.05)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        engine.dispose()

    def stop(self) -> None:
        self._stop_at.set()
        self.join(30)


def test_two_senders_on_one_database_send_every_reply_exactly_once(
    handoff_database: HandoffDatabase, mail_engine: Engine, smtp: SmtpStandIn
) -> None:
    ids = queue_mails(mail_engine, 30)
    senders = [SenderInstance(handoff_database, smtp), SenderInstance(handoff_database, smtp)]
    for sender in senders:
        sender.start()
    try:
        deadline = time.monotonic() + 120
        while _unsent(mail_engine) and time.monotonic() < deadline:
            time.sleep(0.1)
        # a while longer, in which a second copy would arrive
        time.sleep(1.0)
    finally:
        for sender in senders:
            sender.stop()
    assert _unsent(mail_engine) == 0
    assert _received_ids(smtp) == Counter(dict.fromkeys(ids, 1))


def test_a_mail_whose_sender_died_after_smtp_took_it_goes_again_with_the_same_message_id(
    mail_engine: Engine, smtp: SmtpStandIn
) -> None:
    [message_id] = queue_mails(mail_engine, 1)
    mail_outbox = MailOutbox(mail_engine)
    [due] = mail_outbox.due(utc_now())
    # the first sender claims it with a short lease, the SMTP server takes it, and the sender dies unrecorded
    dead = mail_outbox.claim(due, utc_now(), seconds=0.5)
    assert dead is not None
    SmtpSender(SmtpSettings.from_url(smtp.url)).send(dead.recipient, dead.message)
    assert mail_outbox.due(utc_now()) == []  # claimed: nobody else sends it while the lease runs
    assert mail_outbox.claim(due, utc_now(), seconds=0.5) is None

    time.sleep(0.6)
    worker = MailOutboxWorker(mail_engine, SmtpSender(SmtpSettings.from_url(smtp.url)), FROM, FAST)
    assert asyncio.run(worker.send_due()) == 1
    assert _received_ids(smtp) == Counter({message_id: 2})
    assert _unsent(mail_engine) == 0
    # the dead sender's late word changes nothing: the claim is no longer its own
    assert mail_outbox.sent(dead, utc_now()) is False
    assert asyncio.run(worker.send_due()) == 0
    assert _received_ids(smtp) == Counter({message_id: 2})


def test_a_mail_the_smtp_server_could_not_take_is_claimed_again_only_after_its_wait(
    mail_engine: Engine, smtp: SmtpStandIn
) -> None:
    [message_id] = queue_mails(mail_engine, 1)
    smtp.stop()
    policy = MailRetryPolicy(first_delay_seconds=2.0)
    worker = MailOutboxWorker(mail_engine, SmtpSender(SmtpSettings.from_url(smtp.url)), FROM, policy)
    try:
        assert asyncio.run(worker.send_due()) == 0
        [waiting] = MailOutbox(mail_engine).due(utc_now() + timedelta(seconds=3))
        assert waiting.attempts == 1
        assert MailOutbox(mail_engine).due(utc_now()) == []
    finally:
        smtp.start()
    time.sleep(policy.first_delay_seconds + 0.1)
    assert asyncio.run(worker.send_due()) == 1
    assert _received_ids(smtp) == Counter({message_id: 1})


class SenderWhoseDatabaseFailsAfterwards:
    """The real SMTP sender; once the server has taken the mail, the outbox table is away for a moment."""

    def __init__(self, engine: Engine, smtp: SmtpStandIn, away_seconds: float) -> None:
        self._engine = engine
        self._smtp = SmtpSender(SmtpSettings.from_url(smtp.url))
        self._away_seconds = away_seconds
        self.back = threading.Event()

    def _rename(self, old: str, new: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))

    def send(self, recipient: str, message: str) -> None:
        self._smtp.send(recipient, message)
        self._rename(outbox.name, f"{outbox.name}_away")

        def come_back() -> None:
            self._rename(f"{outbox.name}_away", outbox.name)
            self.back.set()

        threading.Timer(self._away_seconds, come_back).start()


def test_a_send_the_database_could_not_record_at_once_is_recorded_later_and_not_sent_again(
    mail_engine: Engine, smtp: SmtpStandIn
) -> None:
    [message_id] = queue_mails(mail_engine, 1)
    sender = SenderWhoseDatabaseFailsAfterwards(mail_engine, smtp, away_seconds=0.5)
    # the record is tried at once (the table is away), then after 0.2 s and 1 s more (it is back)
    policy = MailRetryPolicy(record_waits=(0.2, 1.0, 3.0))
    worker = MailOutboxWorker(mail_engine, sender, FROM, policy)
    assert asyncio.run(worker.send_due()) == 1
    assert sender.back.is_set()
    assert _unsent(mail_engine) == 0
    assert asyncio.run(worker.send_due()) == 0
    assert _received_ids(smtp) == Counter({message_id: 1})
