"""Which messaging platforms are switched on, read from the environment once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from bot.shared.email.settings import EmailSettings

DEFAULT_MESSENGER_API_URL = "https://graph.facebook.com/v18.0"
DEFAULT_TWILIO_API_URL = "https://api.twilio.com"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class MessengerSettings:
    verify_token: str
    app_secret: str
    page_access_token: str
    api_url: str = DEFAULT_MESSENGER_API_URL


@dataclass(frozen=True)
class TwilioSettings:
    """One Twilio sender: an SMS number, or a WhatsApp sender written `whatsapp:+...`."""

    account_sid: str
    auth_token: str
    number: str
    api_url: str = DEFAULT_TWILIO_API_URL
    public_base_url: Optional[str] = None


@dataclass(frozen=True)
class TelegramSettings:
    bot_token: str
    secret_token: str
    api_url: str = DEFAULT_TELEGRAM_API_URL
    webhook_url: Optional[str] = None


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str
    api_url: str = DEFAULT_SLACK_API_URL


@dataclass(frozen=True)
class ChannelSettings:
    """A platform is None unless every variable it needs is set."""

    messenger: Optional[MessengerSettings] = None
    sms: Optional[TwilioSettings] = None
    whatsapp: Optional[TwilioSettings] = None
    telegram: Optional[TelegramSettings] = None
    slack: Optional[SlackSettings] = None
    # With several Rasa workers, socket.io rooms must be shared through Redis to reach every tab.
    socketio_redis_url: Optional[str] = None
    # the e-mail channel (inbound with a signing key) and the SMTP sender (with SMTP_URL)
    email: EmailSettings = EmailSettings()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ChannelSettings:
        def value(name: str) -> Optional[str]:
            text = env.get(name, "").strip()
            return text or None

        def every(*names: str) -> bool:
            return all(value(name) for name in names)

        messenger = None
        if every("MESSENGER_VERIFY_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_PAGE_ACCESS_TOKEN"):
            messenger = MessengerSettings(
                verify_token=env["MESSENGER_VERIFY_TOKEN"].strip(),
                app_secret=env["MESSENGER_APP_SECRET"].strip(),
                page_access_token=env["MESSENGER_PAGE_ACCESS_TOKEN"].strip(),
                api_url=value("MESSENGER_API_URL") or DEFAULT_MESSENGER_API_URL,
            )

        def twilio(number_variable: str, prefix: str) -> Optional[TwilioSettings]:
            if not every("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", number_variable):
                return None
            number = env[number_variable].strip()
            if prefix and not number.startswith(prefix):
                number = prefix + number
            return TwilioSettings(
                account_sid=env["TWILIO_ACCOUNT_SID"].strip(),
                auth_token=env["TWILIO_AUTH_TOKEN"].strip(),
                number=number,
                api_url=value("TWILIO_API_URL") or DEFAULT_TWILIO_API_URL,
                public_base_url=value("PUBLIC_WEBHOOK_BASE_URL"),
            )

        telegram = None
        if every("TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN"):
            telegram = TelegramSettings(
                bot_token=env["TELEGRAM_BOT_TOKEN"].strip(),
                secret_token=env["TELEGRAM_SECRET_TOKEN"].strip(),
                api_url=value("TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL,
                webhook_url=value("TELEGRAM_WEBHOOK_URL"),
            )

        slack = None
        if every("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
            slack = SlackSettings(
                bot_token=env["SLACK_BOT_TOKEN"].strip(),
                signing_secret=env["SLACK_SIGNING_SECRET"].strip(),
                api_url=value("SLACK_API_URL") or DEFAULT_SLACK_API_URL,
            )

        return cls(
            messenger=messenger,
            sms=twilio("TWILIO_SMS_NUMBER", ""),
            whatsapp=twilio("TWILIO_WHATSAPP_NUMBER", "whatsapp:"),
            telegram=telegram,
            slack=slack,
            socketio_redis_url=value("SOCKETIO_REDIS_URL"),
            email=EmailSettings.from_env(env),
        )
