"""The credentials file Rasa reads at start-up, generated from the settings so unset platforms stay off."""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

import yaml

from bot.shared.channel_settings import ChannelSettings

WEBCHAT_CHANNEL = "bot.rasa_server.channels.webchat_socketio.WebchatSocketIOInput"
WEBCHAT_CREDENTIALS: Dict[str, Any] = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
}
MESSENGER_CHANNEL = "bot.rasa_server.channels.messenger.MessengerInput"
SMS_CHANNEL = "bot.rasa_server.channels.twilio_sms.TwilioSmsInput"
WHATSAPP_CHANNEL = "bot.rasa_server.channels.twilio_sms.WhatsAppInput"
TELEGRAM_CHANNEL = "bot.rasa_server.channels.telegram.TelegramInput"
SLACK_CHANNEL = "bot.rasa_server.channels.slack.SlackInput"
REST_CHANNEL = "bot.rasa_server.channels.rest_token.TokenRestInput"
EMAIL_CHANNEL = "bot.rasa_server.channels.email_mailgun.MailgunEmailInput"


def channel_credentials(
    channels: ChannelSettings,
    rest_token: Optional[str] = None,
    allowed_origins: Sequence[str] = (),
    database_url: Optional[str] = None,
) -> Dict[str, Any]:
    """Web chat always; REST only with a token; each platform only when all of its variables are set.

    The web chat's session secret is not written here: the channel reads WEBCHAT_SESSION_SECRET itself.
    """
    webchat: Dict[str, Any] = dict(WEBCHAT_CREDENTIALS)
    if channels.socketio_redis_url:
        webchat["redis_url"] = channels.socketio_redis_url
    webchat["allowed_origins"] = list(allowed_origins)
    credentials: Dict[str, Any] = {WEBCHAT_CHANNEL: webchat}
    if rest_token:
        credentials[REST_CHANNEL] = {"token": rest_token}
    platforms = {
        MESSENGER_CHANNEL: channels.messenger,
        SMS_CHANNEL: channels.sms,
        WHATSAPP_CHANNEL: channels.whatsapp,
        TELEGRAM_CHANNEL: channels.telegram,
        SLACK_CHANNEL: channels.slack,
    }
    for class_path, platform in platforms.items():
        if platform is not None:
            credentials[class_path] = asdict(platform)
    # e-mail only with its signing key: the channel keeps its threads in the shop's database
    if channels.email.signing_key and database_url:
        credentials[EMAIL_CHANNEL] = {
            "signing_key": channels.email.signing_key,
            "from_address": channels.email.from_address,
            "database_url": database_url,
        }
    return credentials


def write_credentials(settings: Any, path: Union[str, Path]) -> List[str]:
    """Write the effective credentials file for `rasa run --credentials`; returns the channels in it.

    The file holds platform secrets, so it is readable by its owner only, and it is replaced in one
    step so a Rasa server starting at the same moment never reads half of it.
    """
    credentials = channel_credentials(
        settings.channels, settings.rest_channel_token, settings.allowed_origins, settings.database_url
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".credentials-", suffix=".yml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write("# Generated at start-up from the environment by bot.rasa_server.channels.credentials.\n")
            yaml.safe_dump(credentials, stream, sort_keys=False)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return list(credentials)
