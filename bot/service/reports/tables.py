"""SQL tables of the reports; they hold no text a customer wrote, only what happened and when."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import Engine

from bot.shared.sql_types import UtcDateTime

metadata = MetaData()

# One row per customer message the assistant read: when, on which channel, in which language, and what
# it understood. Erasure and retention replace `conversation_id` by a pseudonym, so the counts remain.
turns = Table(
    "report_turns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("channel", String(64), nullable=True),
    Column("language", String(16), nullable=False),
    Column("intent", String(128), nullable=True),
    Column("fallback", Boolean, nullable=False),
    Column("source_event_id", String(64), nullable=False, unique=True),
    Index("ix_report_turns_at", "at"),
    Index("ix_report_turns_conversation", "conversation_id", "at"),
)

# Rasa's reply time of one customer message (reply_latency.py): no conversation id, so nothing personal.
reply_times = Table(
    "report_reply_times",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_event_id", String(64), nullable=False, unique=True),
    Column("at", UtcDateTime, nullable=False),
    Column("seconds", Float, nullable=False),
    Index("ix_report_reply_times_at", "at"),
)

# The kind and time of a conversation's recent events (user, bot, listen, break) that reply times are computed
# from, whichever bot-service instance read them; kept about an hour, and erased with the conversation.
turn_marks = Table(
    "report_turn_marks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255), nullable=False),
    Column("at", Float, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("source_key", String(96), nullable=False, unique=True),
    Index("ix_report_turn_marks_conversation", "conversation_id", "at"),
    Index("ix_report_turn_marks_at", "at"),
)

# A customer who left the queue before an agent claimed the chat (abandonment.py): when, and how it was seen.
abandonments = Table(
    "report_abandonments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, nullable=False, unique=True),
    Column("left_at", UtcDateTime, nullable=False),
    Column("how", String(16), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

# The web chat of a waiting customer: the widget's last sign of life, and when it said it was closed.
# Kept only while the chat waits; erasure deletes it with the conversation.
chat_presence = Table(
    "report_chat_presence",
    metadata,
    Column("conversation_id", String(255), primary_key=True),
    Column("seen_at", UtcDateTime, nullable=False),
    Column("left_at", UtcDateTime, nullable=True),
)

# A supervisor's label on an unanswered question: the intent the message should have had.
labels = Table(
    "report_question_labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("intent", String(128), nullable=False),
    Column("agent_id", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# Who opened which customer's record, and when: personal data seen by agents is accounted for.
record_views = Table(
    "report_record_views",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", Integer, nullable=False),
    Column("customer_key", String(255), nullable=False),
    Column("what", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_report_record_views_at", "at"),
)


def create_report_tables(engine: Engine) -> None:
    metadata.create_all(engine, checkfirst=True)
