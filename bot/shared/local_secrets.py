"""Secrets generated for a developer's machine, so `make run` is safe with no configuration at all.

Each is made once, kept under var/secrets/ readable by its owner only, and used only when the operator
left the variable unset. Production mode refuses every one of them (bot/shared/startup_checks.py).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Dict, Mapping

from bot.shared.startup_checks import GENERATED_SECRETS_DIR

# variable -> file name under var/secrets/
ALWAYS_GENERATED = {
    "HANDOFF_SECRET": "handoff",
    "RASA_API_TOKEN": "rasa-api",
    "ACTION_SERVER_TOKEN": "action-server",
    "WEBCHAT_SESSION_SECRET": "webchat-session",
    "WEBCHAT_JWT_SECRET": "webchat-jwt",
}
# Only `make run`'s demo switches the REST channel on by itself; elsewhere it stays off until configured.
DEMO_GENERATED = {"REST_CHANNEL_TOKEN": "rest-channel"}


def local_secret(name: str, folder: Path = GENERATED_SECRETS_DIR) -> str:
    path = folder / f"{name}.secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def with_local_secrets(
    environ: Mapping[str, str], demo_mode: bool, folder: Path = GENERATED_SECRETS_DIR
) -> Dict[str, str]:
    """`environ` with a generated value for every secret the operator left unset."""
    env = dict(environ)
    wanted = {**ALWAYS_GENERATED, **(DEMO_GENERATED if demo_mode else {})}
    for variable, name in wanted.items():
        if not env.get(variable):
            env[variable] = local_secret(name, folder)
    return env
