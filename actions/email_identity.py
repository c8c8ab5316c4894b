"""Who wrote an e-mail: the sender's address, trusted only on the e-mail channel, where replies go to it."""

from __future__ import annotations

from typing import Optional

from rasa_sdk.interfaces import Tracker

from bot.store.identifiers import is_plausible_email, normalise_email

EMAIL_CHANNEL = "email"
# set by the e-mail connector (bot/rasa_server/channels/email_answering.py) on every message it passes on
SENDER_KEY = "email_sender"
SENDER_MISMATCH = (
    "For your security I can only discuss an order by e-mail with the address it was placed with. "
    "Please write to us from that address, or chat with us on our website."
)


def email_sender(tracker: Tracker) -> Optional[str]:
    """The address the reply will go to, for a message that came by e-mail; None on every other channel.

    Other channels may carry any metadata (REST passes the caller's), so the input channel decides, and
    that is set by the connector, never by the message.
    """
    if tracker.get_latest_input_channel() != EMAIL_CHANNEL:
        return None
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    sender = metadata.get(SENDER_KEY) if isinstance(metadata, dict) else None
    return normalise_email(sender) if is_plausible_email(sender) else None


# the From address of the very mail the message came in (a reply in a thread may come from anyone who has it)
AUTHOR_KEY = "email_from"


def email_author(tracker: Tracker) -> Optional[str]:
    """Who wrote the latest mail, by its From address; None on every other channel."""
    if tracker.get_latest_input_channel() != EMAIL_CHANNEL:
        return None
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    author = metadata.get(AUTHOR_KEY) if isinstance(metadata, dict) else None
    return normalise_email(author) if is_plausible_email(author) else None
