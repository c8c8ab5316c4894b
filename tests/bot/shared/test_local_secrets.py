"""Secrets generated for a developer's machine: made once, owner-only, and only for variables left unset."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.shared.local_secrets import ALWAYS_GENERATED, DEMO_GENERATED, local_secret, with_local_secrets
from bot.shared.settings import Settings
from bot.shared.startup_checks import MIN_SECRET_LENGTH, generated_secrets, production_problems


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "secrets"
    first = local_secret("handoff", folder)
    assert local_secret("handoff", folder) == first
    assert (folder / "handoff.secret").read_text().strip() == first
    assert len(first) >= MIN_SECRET_LENGTH


def test_each_name_gets_its_own_value(tmp_path: Path) -> None:
    assert local_secret("handoff", tmp_path) != local_secret("rasa-api", tmp_path)


def test_another_folder_gets_another_value(tmp_path: Path) -> None:
    assert local_secret("handoff", tmp_path / "one") != local_secret("handoff", tmp_path / "two")


def test_the_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    local_secret("handoff", folder)
    assert _mode(folder / "handoff.secret") == 0o600
    assert _mode(folder) == 0o700


def test_the_file_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        local_secret("handoff", tmp_path / "secrets")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "secrets" / "handoff.secret") == 0o600
    assert _mode(tmp_path / "secrets") == 0o700


def test_an_existing_open_folder_is_closed_to_others(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    local_secret("handoff", folder)
    assert _mode(folder) == 0o700


def test_an_existing_secret_file_is_read_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "handoff.secret").write_text("kept-from-last-time-" + "k" * 20 + "\n")
    assert local_secret("handoff", tmp_path) == "kept-from-last-time-" + "k" * 20


def test_unset_and_empty_variables_get_a_generated_value(tmp_path: Path) -> None:
    env = with_local_secrets({"HANDOFF_SECRET": "", "PATH": "/usr/bin"}, demo_mode=False, folder=tmp_path)
    assert set(ALWAYS_GENERATED) <= set(env)
    for variable, name in ALWAYS_GENERATED.items():
        assert env[variable] == (tmp_path / f"{name}.secret").read_text().strip()
        assert len(env[variable]) >= MIN_SECRET_LENGTH
    assert env["PATH"] == "/usr/bin"
    assert len({env[variable] for variable in ALWAYS_GENERATED}) == len(ALWAYS_GENERATED)


def test_a_configured_variable_is_never_overwritten(tmp_path: Path) -> None:
    configured = {"RASA_API_TOKEN": "the-operators-own-rasa-token", "WEBCHAT_JWT_SECRET": "the-shops-jwt-secret"}
    env = with_local_secrets(configured, demo_mode=True, folder=tmp_path)
    assert env["RASA_API_TOKEN"] == "the-operators-own-rasa-token"
    assert env["WEBCHAT_JWT_SECRET"] == "the-shops-jwt-secret"
    # Nothing was generated for them either.
    assert not (tmp_path / "rasa-api.secret").exists()
    assert not (tmp_path / "webchat-jwt.secret").exists()


def test_the_given_environment_is_left_as_it_was(tmp_path: Path) -> None:
    environ = {"HANDOFF_SECRET": ""}
    with_local_secrets(environ, demo_mode=True, folder=tmp_path)
    assert environ == {"HANDOFF_SECRET": ""}


def test_the_same_values_come_back_on_the_next_run(tmp_path: Path) -> None:
    first = with_local_secrets({}, demo_mode=True, folder=tmp_path)
    assert with_local_secrets({}, demo_mode=True, folder=tmp_path) == first


def test_the_rest_channel_token_is_added_in_demo_mode_only(tmp_path: Path) -> None:
    assert "REST_CHANNEL_TOKEN" not in with_local_secrets({}, demo_mode=False, folder=tmp_path)
    assert not (tmp_path / f"{DEMO_GENERATED['REST_CHANNEL_TOKEN']}.secret").exists()
    demo = with_local_secrets({}, demo_mode=True, folder=tmp_path)
    assert len(demo["REST_CHANNEL_TOKEN"]) >= MIN_SECRET_LENGTH


def test_outside_demo_mode_an_empty_rest_token_stays_empty(tmp_path: Path) -> None:
    # An empty REST_CHANNEL_TOKEN keeps the REST channel off; it must not be switched on by a generated value.
    assert with_local_secrets({"REST_CHANNEL_TOKEN": ""}, demo_mode=False, folder=tmp_path)["REST_CHANNEL_TOKEN"] == ""


def test_a_configured_rest_token_is_kept_in_demo_mode(tmp_path: Path) -> None:
    env = with_local_secrets({"REST_CHANNEL_TOKEN": "the-shops-backend-token"}, demo_mode=True, folder=tmp_path)
    assert env["REST_CHANNEL_TOKEN"] == "the-shops-backend-token"


def test_production_mode_refuses_every_generated_secret(tmp_path: Path) -> None:
    env = with_local_secrets(
        {"ASSISTANT_ENV": "production", "ALLOWED_ORIGINS": "https://shop.example.com"}, demo_mode=True, folder=tmp_path
    )
    problems = production_problems(Settings.from_env(env), generated=generated_secrets(tmp_path))
    named = {problem.split(" ")[0] for problem in problems}
    assert named == set(ALWAYS_GENERATED) | set(DEMO_GENERATED)
    assert all("generated for development" in problem for problem in problems)
