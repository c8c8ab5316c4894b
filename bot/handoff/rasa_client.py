"""Talks to the Rasa server's HTTP API: relays agent messages, pauses, resumes and reads trackers."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote

import aiohttp

from bot.handoff.errors import UpstreamUnavailable

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=10)
# Rasa's Sanic 21.12 does not decode `%2B` or `%3A` in a path segment, so characters a path segment may hold
# as they are (RFC 3986 sub-delims, ":" and "@") stay unescaped and reach Rasa as the id it knows.
PATH_SEGMENT_SAFE = "!$&'()*+,;=:@"


def quote_conversation_id(conversation_id: str) -> str:
    """The conversation id as a single URL path segment that Rasa reads back as the same id."""
    return quote(conversation_id, safe=PATH_SEGMENT_SAFE)


def api_headers(api_token: Optional[str]) -> Dict[str, str]:
    """The header Rasa's HTTP API wants (RASA_API_TOKEN); sent as a header so no URL or log holds it."""
    return {"Authorization": f"Bearer {api_token}"} if api_token else {}


class RasaClient:
    def __init__(self, rasa_url: str, session: aiohttp.ClientSession, api_token: Optional[str] = None) -> None:
        self._base = rasa_url.rstrip("/")
        self._session = session
        self._headers = api_headers(api_token)

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
        event: Dict[str, Any] = {"event": "bot", "text": text, "metadata": dict(metadata or {})}
        if custom:
            event["data"] = {"custom": dict(custom)}
        await self.append_events(conversation_id, [event], execute_side_effects=True)

    async def append_events(
        self,
        conversation_id: str,
        events: List[Dict[str, Any]],
        execute_side_effects: bool = False,
    ) -> None:
        params = {"output_channel": "latest"}
        if execute_side_effects:
            params["execute_side_effects"] = "true"
        await self._post(self._conversation_url(conversation_id, "tracker/events"), events, params)

    async def hand_back(self, conversation_id: str, outcome: str) -> None:
        """Resumes the conversation and lets the bot greet the customer again."""
        # while paused Rasa never ran action_listen; without it no rule matches the handback intent
        await self.append_events(
            conversation_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
        )
        await self._post(
            self._conversation_url(conversation_id, "trigger_intent"),
            {"name": "EXTERNAL_handback", "entities": {"handoff_outcome": outcome}},
            {"output_channel": "latest"},
        )

    async def tracker(self, conversation_id: str) -> Dict[str, Any]:
        url = self._conversation_url(conversation_id, "tracker")
        try:
            async with self._session.get(url, timeout=REQUEST_TIMEOUT, headers=self._headers) as response:
                if response.status != 200:
                    raise UpstreamUnavailable(f"Rasa answered {response.status} for the tracker")
                return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise UpstreamUnavailable("the assistant (Rasa server) cannot be reached") from error

    async def _post(self, url: str, body: Any, params: Mapping[str, str]) -> None:
        try:
            async with self._session.post(
                url, json=body, params=dict(params), timeout=REQUEST_TIMEOUT, headers=self._headers
            ) as response:
                if response.status >= 300:
                    detail = (await response.text())[:200]
                    raise UpstreamUnavailable(f"Rasa answered {response.status}: {detail}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise UpstreamUnavailable("the assistant (Rasa server) cannot be reached") from error
