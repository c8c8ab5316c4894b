"""What `python -m bot run` puts where others can read it: no token on a command line or in the welcome text."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest

from bot.shared.settings import Settings
from bot.supervisor.run import ProcessSpec, process_specs, welcome_text

SECRETS = {
    "RASA_API_TOKEN": "rasa-api-token-" + "r" * 32,
    "ACTION_SERVER_TOKEN": "action-server-token-" + "a" * 32,
    "HANDOFF_SECRET": "handoff-secret-" + "h" * 32,
    "WEBCHAT_SESSION_SECRET": "webchat-session-secret-" + "s" * 32,
    "WEBCHAT_JWT_SECRET": "webchat-jwt-secret-" + "j" * 32,
}
REST_TOKEN = "rest-channel-token-" + "t" * 32
ORIGINS = "https://shop.example.com, https://www.shop.example.com/"
CREDENTIALS = Path("/srv/assistant/var/credentials.yml")


def settings_with(**env: str) -> Settings:
    return Settings.from_env({**SECRETS, "REST_CHANNEL_TOKEN": REST_TOKEN, "ALLOWED_ORIGINS": ORIGINS, **env})


def specs(settings: Settings) -> Dict[str, ProcessSpec]:
    return {spec.name: spec for spec in process_specs(settings, "models", "endpoints.yml", CREDENTIALS)}


def rasa_command(settings: Settings) -> List[str]:
    return list(specs(settings)["Rasa server"].command)


def cors_values(command: List[str]) -> List[str]:
    """The values Rasa's argparse gives `--cors` (nargs="*": everything up to the next option)."""
    start = command.index("--cors") + 1
    end = next((i for i in range(start, len(command)) if command[i].startswith("--")), len(command))
    return command[start:end]


def test_the_three_processes_are_started() -> None:
    assert set(specs(settings_with())) == {"action server", "bot service", "Rasa server"}


def test_no_command_line_carries_a_token_or_secret() -> None:
    for spec in specs(settings_with()).values():
        line = " ".join(spec.command)
        for value in [*SECRETS.values(), REST_TOKEN]:
            assert value not in line, f"{spec.name} shows a secret on its command line"
        assert "--auth-token" not in spec.command and "--jwt-secret" not in spec.command


def test_the_rasa_api_is_switched_on_and_left_to_the_environment_for_its_token() -> None:
    command = rasa_command(settings_with())
    assert command[1:4] == ["-m", "bot.rasa_server.launch", "run"]
    assert "--enable-api" in command
    assert command.count("--enable-api") == 1


def test_cors_is_followed_by_the_configured_origins() -> None:
    command = rasa_command(settings_with())
    assert cors_values(command) == ["https://shop.example.com", "https://www.shop.example.com"]


def test_rasas_own_parser_reads_the_origins_and_no_token() -> None:
    from rasa.__main__ import create_argument_parser

    arguments = create_argument_parser().parse_args(rasa_command(settings_with())[3:])
    assert arguments.enable_api is True
    assert arguments.cors == ["https://shop.example.com", "https://www.shop.example.com"]
    assert arguments.auth_token is None and arguments.jwt_secret is None
    assert arguments.credentials == str(CREDENTIALS)


def test_cors_by_default_names_the_bot_services_own_origins() -> None:
    settings = Settings.from_env({**SECRETS, "SERVICE_PORT": "8123"})
    assert cors_values(rasa_command(settings)) == ["http://127.0.0.1:8123", "http://localhost:8123"]


def test_cors_is_never_a_wildcard_by_default() -> None:
    command = rasa_command(Settings.from_env({}))
    assert "*" not in command
    assert cors_values(command)  # an empty --cors would be Rasa's "no origin"; the default names some


def test_cors_is_never_a_wildcard_even_if_configured() -> None:
    # Production refuses ALLOWED_ORIGINS='*' at start-up; outside production the command line decides.
    command = rasa_command(settings_with(ALLOWED_ORIGINS="*"))
    assert "*" not in cors_values(command)


def test_the_rasa_server_listens_where_configured() -> None:
    command = rasa_command(settings_with(BIND_HOST="10.0.0.5", RASA_PORT="5999"))
    assert command[command.index("--interface") + 1] == "10.0.0.5"
    assert command[command.index("--port") + 1] == "5999"
    assert command[command.index("--credentials") + 1] == str(CREDENTIALS)


def test_the_action_server_is_ours_not_rasa_sdks() -> None:
    command = list(specs(settings_with())["action server"].command)
    assert command[1:3] == ["-m", "bot.action_server.launch"]
    assert "rasa_sdk" not in command and "run" not in command[1:3]


def test_rasas_ready_check_carries_the_api_token() -> None:
    spec = specs(settings_with(RASA_PORT="5999"))["Rasa server"]
    assert spec.ready_url == "http://127.0.0.1:5999/status"
    assert dict(spec.ready_headers) == {"Authorization": f"Bearer {SECRETS['RASA_API_TOKEN']}"}


def test_without_a_rasa_token_the_ready_check_sends_no_header() -> None:
    spec = specs(settings_with(RASA_API_TOKEN=""))["Rasa server"]
    assert dict(spec.ready_headers) == {}


def test_the_other_ready_checks_carry_no_token() -> None:
    for name in ("action server", "bot service"):
        spec = specs(settings_with())[name]
        assert dict(spec.ready_headers) == {}
        assert spec.ready_url.endswith("/health")


def test_the_welcome_text_shows_the_rest_header_when_a_rest_token_is_set() -> None:
    text = welcome_text(settings_with(RASA_PORT="5999"), None)
    assert "http://127.0.0.1:5999/webhooks/rest/webhook" in text
    assert f"'Authorization: Bearer {REST_TOKEN}'" in text


def test_the_welcome_text_has_no_rest_lines_without_a_rest_token() -> None:
    text = welcome_text(settings_with(REST_CHANNEL_TOKEN=""), None)
    assert "Authorization" not in text and "Bearer" not in text
    assert "/webhooks/rest/webhook" not in text


@pytest.mark.parametrize("rest_token", [REST_TOKEN, ""])
@pytest.mark.parametrize("production", ["production", ""])
def test_the_welcome_text_never_shows_the_rasa_api_token_or_other_secrets(rest_token: str, production: str) -> None:
    text = welcome_text(
        settings_with(REST_CHANNEL_TOKEN=rest_token, ASSISTANT_ENV=production), ("demo", "demo-password")
    )
    for value in SECRETS.values():
        assert value not in text
    assert "The assistant is running." in text


def test_the_welcome_text_shows_the_demo_login_it_was_given() -> None:
    text = welcome_text(settings_with(), ("demo", "a-demo-password"))
    assert "(demo agent: demo / a-demo-password)" in text
    assert "demo agent" not in welcome_text(settings_with(), None)


def test_the_welcome_text_points_at_the_generated_secrets_outside_production_only() -> None:
    assert "Secrets for this machine" in welcome_text(settings_with(), None)
    assert "Secrets for this machine" not in welcome_text(settings_with(ASSISTANT_ENV="production"), None)
