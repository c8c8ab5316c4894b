"""Production mode: every default, demo, generated or missing secret is named, and the process refuses to start."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest

from bot.shared.settings import Settings
from bot.shared.startup_checks import MIN_SECRET_LENGTH, generated_secrets, production_problems, refuse_unsafe_start

REQUIRED = ("HANDOFF_SECRET", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "WEBCHAT_SESSION_SECRET")
OPTIONAL = ("WEBCHAT_JWT_SECRET", "REST_CHANNEL_TOKEN")


def production_env(**changes: str) -> Dict[str, str]:
    """A production configuration with nothing wrong in it; `changes` override or (with "") blank a variable."""
    env = {
        "ASSISTANT_ENV": "production",
        "ALLOWED_ORIGINS": "https://shop.example.com,https://www.shop.example.com",
        "HANDOFF_SECRET": "handoff-" + "h" * 40,
        "RASA_API_TOKEN": "rasa-api-" + "r" * 40,
        "ACTION_SERVER_TOKEN": "action-server-" + "a" * 40,
        "WEBCHAT_SESSION_SECRET": "webchat-session-" + "s" * 40,
        "WEBCHAT_JWT_SECRET": "webchat-jwt-" + "j" * 40,
        "REST_CHANNEL_TOKEN": "rest-channel-" + "t" * 40,
    }
    env.update(changes)
    return env


def problems_for(env: Dict[str, str], **kwargs: object) -> list:
    kwargs.setdefault("generated", ())
    return production_problems(Settings.from_env(env), **kwargs)  # type: ignore[arg-type]


def test_the_environment_is_read_as_production() -> None:
    assert Settings.from_env(production_env()).production
    assert Settings.from_env(production_env(ASSISTANT_ENV="prod")).production
    assert not Settings.from_env(production_env(ASSISTANT_ENV="")).production


def test_a_fully_configured_production_has_no_problems() -> None:
    assert problems_for(production_env()) == []


def test_the_optional_secrets_may_be_left_unset() -> None:
    env = production_env()
    for name in OPTIONAL:
        del env[name]
    assert problems_for(env) == []


@pytest.mark.parametrize("name", REQUIRED)
def test_every_missing_secret_is_reported(name: str) -> None:
    for env in (production_env(**{name: ""}), {k: v for k, v in production_env().items() if k != name}):
        problems = problems_for(env)
        assert problems == [f"{name} is not set"]


def test_all_missing_secrets_are_reported_together() -> None:
    env = {"ASSISTANT_ENV": "production", "ALLOWED_ORIGINS": "https://shop.example.com"}
    problems = problems_for(env)
    assert problems == [f"{name} is not set" for name in REQUIRED]


@pytest.mark.parametrize("name", REQUIRED + OPTIONAL)
@pytest.mark.parametrize("published", ["local-handoff-secret", "changeme", "demo-password"])
def test_a_published_default_is_reported(name: str, published: str) -> None:
    problems = problems_for(production_env(**{name: published}))
    assert problems == [f"{name} is a published default"]


@pytest.mark.parametrize("name", REQUIRED + OPTIONAL)
def test_a_short_secret_is_reported(name: str) -> None:
    problems = problems_for(production_env(**{name: "x" * (MIN_SECRET_LENGTH - 1)}))
    assert problems == [f"{name} is shorter than {MIN_SECRET_LENGTH} characters"]


def test_a_secret_of_the_minimum_length_is_accepted() -> None:
    assert problems_for(production_env(HANDOFF_SECRET="x" * MIN_SECRET_LENGTH)) == []


@pytest.mark.parametrize("name", REQUIRED + OPTIONAL)
def test_a_generated_secret_is_reported(name: str) -> None:
    generated = "generated-for-a-laptop-" + "g" * 30
    problems = problems_for(production_env(**{name: generated}), generated={generated, "another-generated-value"})
    assert len(problems) == 1
    assert problems[0].startswith(f"{name} is the one `python -m bot run` generated")


def test_generated_secrets_are_read_from_their_folder(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    assert generated_secrets(folder) == set()
    folder.mkdir()
    (folder / "handoff.secret").write_text("value-one-" + "1" * 30 + "\n")
    (folder / "rasa-api.secret").write_text("value-two-" + "2" * 30)
    (folder / "notes.txt").write_text("not-a-secret-" + "3" * 30)
    assert generated_secrets(folder) == {"value-one-" + "1" * 30, "value-two-" + "2" * 30}
    problems = problems_for(production_env(RASA_API_TOKEN="value-two-" + "2" * 30), generated=generated_secrets(folder))
    assert problems == ["RASA_API_TOKEN is the one `python -m bot run` generated for development; configure your own"]


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_demo_sign_in_is_reported(value: str) -> None:
    problems = problems_for(production_env(WEBCHAT_DEMO_SIGNIN=value))
    assert len(problems) == 1 and problems[0].startswith("WEBCHAT_DEMO_SIGNIN is on")


@pytest.mark.parametrize("value", ["1", "true"])
def test_demo_mode_is_reported(value: str) -> None:
    assert problems_for(production_env(DEMO_MODE=value)) == ["DEMO_MODE is on"]


def test_the_demo_agent_is_reported() -> None:
    problems = problems_for(production_env(), demo_agent_present=True)
    assert len(problems) == 1 and "demo agent" in problems[0]


@pytest.mark.parametrize("origins", ["*", "https://shop.example.com,*", " * "])
def test_a_wildcard_origin_is_reported(origins: str) -> None:
    assert problems_for(production_env(ALLOWED_ORIGINS=origins)) == [
        "ALLOWED_ORIGINS must name the shop's origins, not '*'"
    ]


def test_every_problem_is_listed_at_once() -> None:
    env = production_env(
        HANDOFF_SECRET="local-handoff-secret", RASA_API_TOKEN="short", DEMO_MODE="1", ALLOWED_ORIGINS="*"
    )
    del env["ACTION_SERVER_TOKEN"]
    problems = problems_for(env, demo_agent_present=True)
    assert len(problems) == 6
    assert {problem.split(" ")[0] for problem in problems} >= {
        "HANDOFF_SECRET",
        "RASA_API_TOKEN",
        "ACTION_SERVER_TOKEN",
        "DEMO_MODE",
        "ALLOWED_ORIGINS",
    }


def test_an_unsafe_production_start_exits_with_code_2_and_names_the_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = Settings.from_env(production_env(HANDOFF_SECRET="", DEMO_MODE="1"))
    with pytest.raises(SystemExit) as stopped:
        refuse_unsafe_start(settings, "bot service")
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "the bot service will not start in production mode" in err
    assert "  - HANDOFF_SECRET is not set" in err and "  - DEMO_MODE is on" in err


def test_the_demo_agent_stops_a_production_start() -> None:
    with pytest.raises(SystemExit) as stopped:
        refuse_unsafe_start(Settings.from_env(production_env()), "assistant", demo_agent_present=True)
    assert stopped.value.code == 2


def test_a_safe_production_start_goes_ahead(capsys: pytest.CaptureFixture[str]) -> None:
    assert refuse_unsafe_start(Settings.from_env(production_env()), "bot service") is None
    assert capsys.readouterr().err == ""


def test_outside_production_nothing_stops_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    env = {"HANDOFF_SECRET": "local-handoff-secret", "DEMO_MODE": "1", "ALLOWED_ORIGINS": "*"}
    settings = Settings.from_env(env)
    assert production_problems(settings, demo_agent_present=True, generated=()) != []  # unsafe, but not production
    assert refuse_unsafe_start(settings, "bot service", demo_agent_present=True) is None
    assert capsys.readouterr().err == ""


def test_production_refuses_a_short_or_published_email_signing_key() -> None:
    from bot.shared.settings import Settings
    from bot.shared.startup_checks import production_problems

    strong = {
        "HANDOFF_SECRET": "h" * 40,
        "RASA_API_TOKEN": "r" * 40,
        "ACTION_SERVER_TOKEN": "a" * 40,
        "WEBCHAT_SESSION_SECRET": "w" * 40,
        "ALLOWED_ORIGINS": "https://shop.example",
    }
    assert production_problems(Settings.from_env(strong), generated=()) == []
    for key, problem in (("short-key", "shorter than"), ("changeme", "published default")):
        problems = production_problems(Settings.from_env({**strong, "EMAIL_WEBHOOK_SIGNING_KEY": key}), generated=())
        assert any("EMAIL_WEBHOOK_SIGNING_KEY" in line and problem in line for line in problems), problems
