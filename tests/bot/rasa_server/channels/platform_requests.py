"""Webhook requests shaped and signed the way each platform sends them."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Dict
from urllib.parse import urlencode

from bot.rasa_server.channels.signatures import messenger_signature, slack_signature, twilio_signature

PAGE_ID = "104857600000001"
TWILIO_ACCOUNT_SID = "AC" + "1f" * 16
SMS_NUMBER = "+15550001111"
WHATSAPP_NUMBER = "whatsapp:+15550002222"
TELEGRAM_BOT_TOKEN = "123456789:standin-telegram-token"

_counter = itertools.count(1)


@dataclass(frozen=True)
class PlatformSecrets:
    messenger_app_secret: str = "messenger-app-secret-for-tests"
    messenger_verify_token: str = "messenger-verify-token"
    twilio_auth_token: str = "twilio-auth-token-for-tests"
    telegram_secret_token: str = "telegram-secret-token-for-tests"
    slack_signing_secret: str = "slack-signing-secret-for-tests"


@dataclass(frozen=True)
class WebhookRequest:
    path: str
    body: bytes
    headers: Dict[str, str]


def channel_environment(secrets: PlatformSecrets, standin_url: str) -> Dict[str, str]:
    """Every platform switched on, each sending to the local stand-in."""
    return {
        "MESSENGER_VERIFY_TOKEN": secrets.messenger_verify_token,
        "MESSENGER_APP_SECRET": secrets.messenger_app_secret,
        "MESSENGER_PAGE_ACCESS_TOKEN": "messenger-page-access-token",
        "MESSENGER_API_URL": standin_url + "/messenger",
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": secrets.twilio_auth_token,
        "TWILIO_SMS_NUMBER": SMS_NUMBER,
        "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER,
        "TWILIO_API_URL": standin_url,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_BOT_TOKEN,
        "TELEGRAM_SECRET_TOKEN": secrets.telegram_secret_token,
        "TELEGRAM_API_URL": standin_url + "/telegram",
        "SLACK_BOT_TOKEN": "xoxb-standin-slack-token",
        "SLACK_SIGNING_SECRET": secrets.slack_signing_secret,
        "SLACK_API_URL": standin_url + "/slack/",
    }


def messenger_message(secrets: PlatformSecrets, sender_id: str, text: str) -> WebhookRequest:
    now_ms = int(time.time() * 1000)
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "time": now_ms,
                    "messaging": [
                        {
                            "sender": {"id": sender_id},
                            "recipient": {"id": PAGE_ID},
                            "timestamp": now_ms,
                            "message": {"mid": f"m_{next(_counter)}", "text": text},
                        }
                    ],
                }
            ],
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": messenger_signature(secrets.messenger_app_secret, body),
    }
    return WebhookRequest("/webhooks/facebook/webhook", body, headers)


def twilio_message(secrets: PlatformSecrets, rasa_url: str, channel: str, sender: str, text: str) -> WebhookRequest:
    """`channel` is `twilio` (SMS) or `whatsapp`; Twilio signs the full URL plus the sorted form fields."""
    path = f"/webhooks/{channel}/webhook"
    sid = f"SM{next(_counter):032d}"
    fields = {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": text,
        "To": WHATSAPP_NUMBER if channel == "whatsapp" else SMS_NUMBER,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TWILIO_ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
    if channel == "whatsapp":
        fields["ProfileName"] = "Ana"
        fields["WaId"] = sender.split("+")[-1]
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilio_signature(secrets.twilio_auth_token, rasa_url + path, fields),
    }
    return WebhookRequest(path, urlencode(fields).encode(), headers)


def telegram_message(secrets: PlatformSecrets, chat_id: int, text: str) -> WebhookRequest:
    number = next(_counter)
    body = json.dumps(
        {
            "update_id": 700000000 + number,
            "message": {
                "message_id": number,
                "from": {"id": chat_id, "is_bot": False, "first_name": "Ana", "language_code": "en"},
                "chat": {"id": chat_id, "first_name": "Ana", "type": "private"},
                "date": int(time.time()),
                "text": text,
            },
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": secrets.telegram_secret_token,
    }
    return WebhookRequest("/webhooks/telegram/webhook", body, headers)


def slack_message(secrets: PlatformSecrets, user_id: str, dm_channel: str, text: str) -> WebhookRequest:
    now = time.time()
    body = json.dumps(
        {
            "token": "verification-token-unused",
            "team_id": "T0STANDIN",
            "api_app_id": "A0STANDIN",
            "event": {
                "type": "message",
                "channel_type": "im",
                "user": user_id,
                "text": text,
                "ts": f"{now:.6f}",
                "channel": dm_channel,
                "event_ts": f"{now:.6f}",
            },
            "type": "event_callback",
            "event_id": f"Ev{next(_counter):010d}",
            "event_time": int(now),
            "authorizations": [{"user_id": "U0ASSISTANT", "is_bot": True}],
        }
    ).encode()
    timestamp = str(int(now))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": slack_signature(secrets.slack_signing_secret, timestamp, body),
    }
    return WebhookRequest("/webhooks/slack/webhook", body, headers)
