"""Production mode (ASSISTANT_ENV=production): the processes refuse to start with a default, demo or generated secret."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, List, Optional, Set

from bot.shared.settings import PROJECT_ROOT, Settings

# Where `python -m bot run` keeps the secrets it generates for a developer's machine.
GENERATED_SECRETS_DIR = PROJECT_ROOT / "var" / "secrets"
MIN_SECRET_LENGTH = 32
# Values published in this project's docs or earlier versions: never a production secret.
PUBLISHED_SECRETS = frozenset({"local-handoff-secret", "demo-password", "changeme", "secret"})


def generated_secrets(folder: Path = GENERATED_SECRETS_DIR) -> Set[str]:
    if not folder.is_dir():
        return set()
    return {path.read_text().strip() for path in folder.glob("*.secret") if path.is_file()}


def _secret_problem(name: str, value: Optional[str], generated: Set[str]) -> Optional[str]:
    if not value:
        return f"{name} is not set"
    if value in PUBLISHED_SECRETS:
        return f"{name} is a published default"
    if value in generated:
        return f"{name} is the one `python -m bot run` generated for development; configure your own"
    if len(value) < MIN_SECRET_LENGTH:
        return f"{name} is shorter than {MIN_SECRET_LENGTH} characters"
    return None


def production_problems(
    settings: Settings, demo_agent_present: bool = False, generated: Optional[Iterable[str]] = None
) -> List[str]:
    """What makes `settings` unsafe to serve customers with; empty when it is safe."""
    known = set(generated_secrets() if generated is None else generated)
    secrets = {
        "HANDOFF_SECRET": settings.handoff_secret,
        "RASA_API_TOKEN": settings.rasa_api_token,
        "ACTION_SERVER_TOKEN": settings.action_server_token,
        "WEBCHAT_SESSION_SECRET": settings.webchat_session_secret,
    }
    optional = {
        "WEBCHAT_JWT_SECRET": settings.webchat_jwt_secret,
        "REST_CHANNEL_TOKEN": settings.rest_channel_token,
        "EMAIL_WEBHOOK_SIGNING_KEY": settings.channels.email.signing_key,
    }
    problems = [problem for name, value in secrets.items() if (problem := _secret_problem(name, value, known))]
    problems += [
        problem
        for name, value in optional.items()
        if value is not None and (problem := _secret_problem(name, value, known))
    ]
    if settings.webchat_demo_signin:
        problems.append("WEBCHAT_DEMO_SIGNIN is on: anyone could sign in as a demo customer")
    if settings.demo_mode:
        problems.append("DEMO_MODE is on")
    if demo_agent_present:
        problems.append("the demo agent (`demo`, with its demo password) exists: remove it or change its password")
    if "*" in settings.allowed_origins:
        problems.append("ALLOWED_ORIGINS must name the shop's origins, not '*'")
    return problems


def refuse_unsafe_start(settings: Settings, process: str, demo_agent_present: bool = False) -> None:
    """In production mode, exit with the list of problems instead of starting `process`."""
    if not settings.production:
        return
    problems = production_problems(settings, demo_agent_present)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        print(f"error: the {process} will not start in production mode:\n{lines}", file=sys.stderr)
        raise SystemExit(2)
