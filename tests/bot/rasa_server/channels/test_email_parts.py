"""The e-mail channel's pure parts: the Mailgun signature, questions in a mail, numbered choices, reply text."""

from __future__ import annotations

import time

from bot.rasa_server.channels.credentials import EMAIL_CHANNEL, channel_credentials
from bot.rasa_server.channels.email_questions import questions
from bot.rasa_server.channels.email_reply_text import new_text
from bot.shared.channel_settings import ChannelSettings
from bot.shared.email.choices import chosen
from bot.shared.email.signature import is_valid_mailgun_signature, mailgun_signature

KEY = "key-0123456789abcdef0123456789abcdef"
CHOICES = [{"title": "Yes, cancel it", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}]


def test_a_signature_is_valid_only_with_the_key_and_within_the_window() -> None:
    now = time.time()
    stamp, token = str(int(now)), "a" * 50
    signature = mailgun_signature(KEY, stamp, token)
    assert is_valid_mailgun_signature(KEY, stamp, token, signature, now)
    assert not is_valid_mailgun_signature("another-key", stamp, token, signature, now)
    assert not is_valid_mailgun_signature(KEY, stamp, "b" * 50, signature, now)
    assert not is_valid_mailgun_signature(KEY, stamp, token, signature, now + 301)
    assert not is_valid_mailgun_signature(KEY, stamp, token, None, now)


def test_a_mail_is_cut_into_its_questions_without_greeting_quote_or_sign_off() -> None:
    body = "Hi team,\n\nWhere is ORD-100001? How long does delivery take?\n\nBest regards,\nMaria\n\n> quoted"
    assert questions(new_text(None, body)) == ["Where is ORD-100001?", "How long does delivery take?"]


def test_a_choice_is_read_by_number_or_words_and_nothing_else() -> None:
    assert chosen("2", CHOICES) == "/deny"
    assert chosen(" 1. ", CHOICES) == "/affirm"
    assert chosen("yes, cancel it!", CHOICES) == "/affirm"
    assert chosen("3", CHOICES) is None
    assert chosen("yes please cancel the other one", CHOICES) is None


def test_the_email_channel_is_written_to_the_credentials_only_with_a_signing_key() -> None:
    without = channel_credentials(ChannelSettings.from_env({}), database_url="sqlite:///x.db")
    assert EMAIL_CHANNEL not in without
    settings = ChannelSettings.from_env({"EMAIL_WEBHOOK_SIGNING_KEY": KEY, "EMAIL_FROM": "support@shop.example"})
    written = channel_credentials(settings, database_url="sqlite:///x.db")[EMAIL_CHANNEL]
    assert written == {"signing_key": KEY, "from_address": "support@shop.example", "database_url": "sqlite:///x.db"}
