"""SQL tables of the e-mail channel; all start with `email_` and share the store's database."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, UniqueConstraint
from sqlalchemy.engine import Engine

from bot.shared.sql_types import UtcDateTime

metadata = MetaData()

# Each Mailgun token once: kept past the replay window, so a restart does not accept a token again.
webhook_tokens = Table(
    "email_webhook_tokens",
    metadata,
    Column("token", String(128), primary_key=True),
    Column("seen_at", UtcDateTime(), nullable=False, index=True),
)

# One row per e-mail thread: where replies go and what they thread under.
threads = Table(
    "email_threads",
    metadata,
    Column("conversation_id", String(128), primary_key=True),
    Column("customer_address", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    # the newest Message-Id of the thread and the References chain a reply carries
    Column("last_message_id", String(300), nullable=False),
    Column("references", Text, nullable=False),
    # the choices of our last reply, as JSON [{"title": ..., "payload": ...}], so "2" can be understood
    Column("choices", Text, nullable=False, server_default="[]"),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# The Message-Ids we sent: a reply continues a conversation only by naming one of them, which only the
# mailbox we wrote to has received.
sent_message_ids = Table(
    "email_sent_message_ids",
    metadata,
    Column("message_id", String(300), primary_key=True),
    Column("conversation_id", String(128), nullable=False, index=True),
)

# The Message-Ids of mails already answered: a provider's retry of the same mail changes nothing.
received_message_ids = Table(
    "email_received_message_ids",
    metadata,
    Column("message_id", String(300), primary_key=True),
    Column("conversation_id", String(128), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
)

# Every mail to send, replies and invoice copies alike; `source_key` makes queueing one thing twice a no-op.
outbox = Table(
    "email_mail_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_key", String(200), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("message", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False, index=True),
    Column("sent_at", UtcDateTime(), nullable=True),
    UniqueConstraint("source_key", name="uq_email_mail_outbox_source_key"),
)


def create_email_tables(engine: Engine) -> None:
    """Creates the tables that do not exist yet; both the Rasa server and the bot service call it."""
    metadata.create_all(engine)
