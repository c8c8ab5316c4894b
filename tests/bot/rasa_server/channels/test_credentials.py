"""The generated credentials file: web chat and REST always, a platform only with all its variables."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml
from rasa.core.run import create_http_input_channels

from bot.rasa_server.channels.credentials import (
    MESSENGER_CHANNEL,
    REST_CHANNEL,
    SLACK_CHANNEL,
    SMS_CHANNEL,
    TELEGRAM_CHANNEL,
    WEBCHAT_CHANNEL,
    WHATSAPP_CHANNEL,
    write_credentials,
)
from bot.shared.settings import Settings

EVERY_PLATFORM = {
    "MESSENGER_VERIFY_TOKEN": "verify-me",
    "MESSENGER_APP_SECRET": "messenger-app-secret",
    "MESSENGER_PAGE_ACCESS_TOKEN": "page-token",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_SMS_NUMBER": "+15550001111",
    "TWILIO_WHATSAPP_NUMBER": "+15550002222",
    "TELEGRAM_BOT_TOKEN": "123456:telegram-token",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret",
    "SLACK_BOT_TOKEN": "xoxb-slack-token",
    "SLACK_SIGNING_SECRET": "slack-signing-secret",
}


def _written(tmp_path: Path, env: dict) -> dict:
    path = tmp_path / "var" / "credentials.yml"
    write_credentials(Settings.from_env(env), path)
    return yaml.safe_load(path.read_text())


def test_with_no_platform_variables_only_web_chat_runs(tmp_path: Path) -> None:
    credentials = _written(tmp_path, {})
    assert set(credentials) == {WEBCHAT_CHANNEL}
    assert credentials[WEBCHAT_CHANNEL]["session_persistence"] is True
    assert credentials[WEBCHAT_CHANNEL]["user_message_evt"] == "user_uttered"
    assert credentials[WEBCHAT_CHANNEL]["bot_message_evt"] == "bot_uttered"


def test_the_rest_channel_runs_only_with_its_token(tmp_path: Path) -> None:
    credentials = _written(tmp_path, {"REST_CHANNEL_TOKEN": "rest-token-0123456789abcdef"})
    assert credentials[REST_CHANNEL] == {"token": "rest-token-0123456789abcdef"}
    assert "rest" not in credentials


def test_the_web_chat_accepts_the_configured_origins(tmp_path: Path) -> None:
    credentials = _written(tmp_path, {"ALLOWED_ORIGINS": "https://shop.example.com, https://www.shop.example.com"})
    assert credentials[WEBCHAT_CHANNEL]["allowed_origins"] == [
        "https://shop.example.com",
        "https://www.shop.example.com",
    ]


def test_every_platform_with_all_its_variables_is_switched_on(tmp_path: Path) -> None:
    credentials = _written(tmp_path, EVERY_PLATFORM)
    assert {MESSENGER_CHANNEL, SMS_CHANNEL, WHATSAPP_CHANNEL, TELEGRAM_CHANNEL, SLACK_CHANNEL} <= set(credentials)
    assert credentials[WHATSAPP_CHANNEL]["number"] == "whatsapp:+15550002222"
    assert credentials[SMS_CHANNEL]["number"] == "+15550001111"
    assert credentials[SLACK_CHANNEL]["signing_secret"] == "slack-signing-secret"


def test_a_platform_missing_one_variable_stays_off(tmp_path: Path) -> None:
    env = dict(EVERY_PLATFORM)
    del env["MESSENGER_APP_SECRET"]
    env["SLACK_SIGNING_SECRET"] = "   "
    credentials = _written(tmp_path, env)
    assert MESSENGER_CHANNEL not in credentials
    assert SLACK_CHANNEL not in credentials
    assert TELEGRAM_CHANNEL in credentials


def test_the_file_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "credentials.yml"
    write_credentials(Settings.from_env(EVERY_PLATFORM), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".credentials-*"))


def test_rasa_builds_every_channel_from_the_generated_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "credentials.yml"
    write_credentials(Settings.from_env({**EVERY_PLATFORM, "REST_CHANNEL_TOKEN": "rest-token-0123456789"}), path)
    monkeypatch.setenv("WEBCHAT_SESSION_SECRET", "webchat-session-secret-0123456789")
    channels = create_http_input_channels(None, str(path))
    assert sorted(channel.name() for channel in channels) == sorted(
        ["rest", "socketio", "facebook", "twilio", "whatsapp", "telegram", "slack"]
    )


def test_the_committed_credentials_file_loads_in_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    committed = Path(__file__).resolve().parents[4] / "credentials.yml"
    monkeypatch.setenv("WEBCHAT_SESSION_SECRET", "webchat-session-secret-0123456789")
    channels = create_http_input_channels(None, str(committed))
    assert [channel.name() for channel in channels] == ["socketio"]


def test_the_web_chat_will_not_start_without_its_session_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.shared.webchat.session_proof import SessionSecretMissing

    committed = Path(__file__).resolve().parents[4] / "credentials.yml"
    monkeypatch.delenv("WEBCHAT_SESSION_SECRET", raising=False)
    with pytest.raises(SessionSecretMissing):
        create_http_input_channels(None, str(committed))


def test_socket_io_rooms_are_shared_through_redis_when_configured(tmp_path: Path) -> None:
    credentials = _written(tmp_path, {"SOCKETIO_REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert credentials[WEBCHAT_CHANNEL]["redis_url"] == "redis://127.0.0.1:6379/3"
    assert "redis_url" not in _written(tmp_path, {})[WEBCHAT_CHANNEL]
