"""SQL tables of the handoff service; all of them start with `handoff_` so they share a database with the store."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from bot.shared.sql_types import UtcDateTime

metadata = MetaData()

agents = Table(
    "handoff_agents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("password_hash", String(255), nullable=False),
    # added after the first release: schema_upgrade.py adds it, with this default, to older databases
    Column("role", String(16), nullable=False, server_default="agent"),
    Column("status", String(16), nullable=False),
    Column("max_concurrent_chats", Integer, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

agent_tokens = Table(
    "handoff_agent_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("agent_id", Integer, ForeignKey("handoff_agents.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

handoffs = Table(
    "handoff_handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255), nullable=False),
    Column("channel", String(64), nullable=True),
    Column("reason", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("claimed_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("agent_id", Integer, ForeignKey("handoff_agents.id"), nullable=True),
    Column("outcome", String(16), nullable=True),
    Column("customer_email", String(255), nullable=True),
    Column("customer_message", Text, nullable=True),
    Column("context_json", Text, nullable=False),
    # added for queue notices: schema_upgrade.py adds it to older databases
    Column("notified_position", Integer, nullable=True),
    # the customer's language (ISO 639-1), shown to the agent; schema_upgrade.py adds it to older databases
    Column("language", String(8), nullable=True),
    Index("ix_handoff_handoffs_status_created", "status", "created_at"),
    Index("ix_handoff_handoffs_conversation", "conversation_id"),
)

messages = Table(
    "handoff_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoff_handoffs.id"), nullable=False),
    Column("sender", String(16), nullable=False),
    Column("agent_id", Integer, ForeignKey("handoff_agents.id"), nullable=True),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # the broker may deliver an event twice (restart between read and cursor save)
    Column("source_event_id", String(64), nullable=True),
    # pending, delivered or failed for what the customer is sent; NULL for the customer's own lines
    # (and for agent lines stored before the outbox existed, which were all delivered)
    Column("delivery", String(16), nullable=True),
    UniqueConstraint("handoff_id", "source_event_id", name="uq_handoff_messages_source"),
    Index("ix_handoff_messages_handoff", "handoff_id", "id"),
)

notes = Table(
    "handoff_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoff_handoffs.id"), nullable=False),
    Column("agent_id", Integer, ForeignKey("handoff_agents.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

ratings = Table(
    "handoff_ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255), nullable=False),
    Column("handoff_id", Integer, ForeignKey("handoff_handoffs.id"), nullable=True),
    Column("agent_id", Integer, ForeignKey("handoff_agents.id"), nullable=True),
    Column("score", Integer, nullable=False),
    Column("comment", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

broker_cursors = Table(
    "handoff_broker_cursors",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("last_event_id", Integer, nullable=False),
)

# What the service still has to tell Rasa, in order per conversation: stored in the same transaction
# as the message it delivers, so neither a restart nor a Rasa outage can lose or repeat it.
outbox = Table(
    "handoff_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoff_handoffs.id"), nullable=False),
    Column("conversation_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("message_id", Integer, ForeignKey("handoff_messages.id"), nullable=True),
    Column("payload_json", Text, nullable=False),
    # put in the events' metadata, so the tracker shows whether an unanswered call got through
    Column("delivery_key", String(64), nullable=False, unique=True),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("maybe_received", Boolean, nullable=False, server_default=false()),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    # whoever holds the lease sends; a second process (or a restart overlap) waits
    Column("leased_until", UtcDateTime, nullable=True),
    Column("last_error", String(255), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Index("ix_handoff_outbox_state_due", "state", "next_attempt_at"),
    Index("ix_handoff_outbox_conversation", "conversation_id", "id"),
)

# Agents' own words for sorting conversations ("refund", "vip"); a label is on a handoff once.
labels = Table(
    "handoff_labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoff_handoffs.id"), nullable=False),
    Column("label", String(40), nullable=False),
    Column("agent_id", Integer, ForeignKey("handoff_agents.id"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("handoff_id", "label", name="uq_handoff_labels_label"),
    Index("ix_handoff_labels_label", "label"),
)
