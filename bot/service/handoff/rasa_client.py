"""Talks to the Rasa server's HTTP API: relays agent messages, pauses, resumes and reads trackers."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote

import aiohttp

from bot.service.handoff.errors import (
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
    UpstreamUnreachable,
)

DEFAULT_TIMEOUT_SECONDS = 10.0
HANDBACK_INTENT = "EXTERNAL_handback"
# Rasa answers these when the request itself is wrong: sending it again cannot help
_PERMANENT_STATUSES = frozenset({400, 404, 413, 422})
# Rasa's Sanic 21.12 does not decode `%2B` or `%3A` in a path segment, so characters a path segment may hold
# as they are (RFC 3986 sub-delims, ":" and "@") stay unescaped and reach Rasa as the id it knows.
PATH_SEGMENT_SAFE = "!$&'()*+,;=:@"
_UNREACHABLE = "the assistant (Rasa server) cannot be reached"


def quote_conversation_id(conversation_id: str) -> str:
    """The conversation id as a single URL path segment that Rasa reads back as the same id."""
    return quote(conversation_id, safe=PATH_SEGMENT_SAFE)


def api_headers(api_token: Optional[str]) -> Dict[str, str]:
    """The header Rasa's HTTP API wants (RASA_API_TOKEN); sent as a header so no URL or log holds it."""
    return {"Authorization": f"Bearer {api_token}"} if api_token else {}


def bot_event(
    text: str, metadata: Optional[Mapping[str, Any]] = None, custom: Optional[Mapping[str, Any]] = None
) -> Dict[str, Any]:
    event: Dict[str, Any] = {"event": "bot", "text": text, "metadata": dict(metadata or {})}
    if custom:
        event["data"] = {"custom": dict(custom)}
    return event


def resume_events(metadata: Optional[Mapping[str, Any]] = None) -> List[Dict[str, Any]]:
    # while paused Rasa never ran action_listen; without it no rule matches the handback intent
    return [
        {"event": "resume", "metadata": dict(metadata or {})},
        {"event": "action", "name": "action_listen"},
    ]


class RasaClient:
    def __init__(
        self,
        rasa_url: str,
        session: aiohttp.ClientSession,
        api_token: Optional[str] = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._base = rasa_url.rstrip("/")
        self._session = session
        self._headers = api_headers(api_token)
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self.timeout_seconds = timeout_seconds

    def _conversation_url(self, conversation_id: str, suffix: str) -> str:
        return f"{self._base}/conversations/{quote_conversation_id(conversation_id)}/{suffix}"

    async def send_bot_message(
        self,
        conversation_id: str,
        text: str,
        metadata: Optional[Mapping[str, Any]] = None,
        custom: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """Appends a `bot` event; with side effects Rasa also sends it through the latest channel."""
        await self.append_events(conversation_id, [bot_event(text, metadata, custom)], execute_side_effects=True)

    async def append_events(
        self,
        conversation_id: str,
        events: List[Dict[str, Any]],
        execute_side_effects: bool = False,
    ) -> None:
        params = {"output_channel": "latest"}
        if execute_side_effects:
            params["execute_side_effects"] = "true"
        await self._call("POST", self._conversation_url(conversation_id, "tracker/events"), events, params)

    async def resume(self, conversation_id: str, metadata: Optional[Mapping[str, Any]] = None) -> None:
        await self.append_events(conversation_id, resume_events(metadata))

    async def trigger_handback(self, conversation_id: str, outcome: str) -> None:
        """Lets the bot greet the customer again and ask for a rating."""
        await self._call(
            "POST",
            self._conversation_url(conversation_id, "trigger_intent"),
            {"name": HANDBACK_INTENT, "entities": {"handoff_outcome": outcome}},
            {"output_channel": "latest"},
        )

    async def hand_back(self, conversation_id: str, outcome: str) -> None:
        """Resumes the conversation and lets the bot greet the customer again."""
        await self.resume(conversation_id)
        await self.trigger_handback(conversation_id, outcome)

    async def tracker(self, conversation_id: str) -> Dict[str, Any]:
        tracker = await self._call("GET", self._conversation_url(conversation_id, "tracker"))
        if not isinstance(tracker, dict):
            raise UpstreamUnavailable("Rasa answered something that is not a tracker", maybe_received=False)
        return tracker

    async def _call(self, method: str, url: str, body: Any = None, params: Optional[Mapping[str, str]] = None) -> Any:
        """The answer's JSON; every failure is an UpstreamUnavailable saying whether Rasa may have acted."""
        try:
            async with self._session.request(
                method,
                url,
                json=body,
                params=dict(params or {}),
                timeout=self._timeout,
                headers=self._headers,
            ) as response:
                if response.status >= 300:
                    detail = (await response.text())[:200]
                    message = f"Rasa answered {response.status}: {detail}"
                    if response.status in _PERMANENT_STATUSES:
                        raise UpstreamRejected(message)
                    raise UpstreamUnavailable(message, maybe_received=response.status >= 500)
                # a POST Rasa answered 2xx is done, whatever its body says
                return await response.json(content_type=None) if method == "GET" else None
        except aiohttp.ClientConnectorError as error:
            raise UpstreamUnreachable(_UNREACHABLE) from error
        # asyncio.TimeoutError is not the builtin TimeoutError before Python 3.11; catch both
        except (asyncio.TimeoutError, TimeoutError) as error:
            raise UpstreamTimeout(
                f"the assistant (Rasa server) did not answer within {self.timeout_seconds:g} seconds"
            ) from error
        except (aiohttp.ClientError, ValueError) as error:
            raise UpstreamUnavailable(_UNREACHABLE) from error
