"""The action server's client for the bot service's internal handoff routes."""
from __future__ import annotations

import logging
import threading
from typing import Any, Dict, Optional

import aiohttp

from bot.config import Settings

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Handoff-Secret"
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=8)

_settings: Optional[Settings] = None
_settings_lock = threading.Lock()


class HandoffServiceUnavailable(Exception):
    """The bot service could not be reached or refused the request."""


def handoff_settings() -> Settings:
    """Read the first time an action needs them, then kept for the life of the action server."""
    global _settings
    with _settings_lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def forget_handoff_settings() -> None:
    global _settings
    with _settings_lock:
        _settings = None


async def post_internal(path: str, body: Dict[str, Any]) -> Dict[str, Any]:
    settings = handoff_settings()
    url = settings.service_url.rstrip("/") + path
    try:
        async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
            async with session.post(
                url, json=body, headers={SECRET_HEADER: settings.handoff_secret}
            ) as response:
                payload = await response.json(content_type=None)
                if response.status >= 300 or not isinstance(payload, dict):
                    raise HandoffServiceUnavailable(f"{url} answered {response.status}: {payload}")
                return payload
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        raise HandoffServiceUnavailable(f"{url} cannot be reached: {error}") from error
