"""The action server's client for the bot service's internal handoff routes."""

from __future__ import annotations

import logging
from typing import Any, Dict

import aiohttp

from bot.shared.handoff_api import INTERNAL_SECRET_HEADER
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=8)


class HandoffServiceUnavailable(Exception):
    """The bot service could not be reached or refused the request."""


async def post_internal(settings: Settings, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
    url = settings.service_url.rstrip("/") + path
    try:
        async with (
            aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session,
            session.post(url, json=body, headers={INTERNAL_SECRET_HEADER: settings.handoff_secret}) as response,
        ):
            payload = await response.json(content_type=None)
            if response.status >= 300 or not isinstance(payload, dict):
                raise HandoffServiceUnavailable(f"{url} answered {response.status}: {payload}")
            return payload
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        raise HandoffServiceUnavailable(f"{url} cannot be reached: {error}") from error
