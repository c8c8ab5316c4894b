"""Slack: Rasa's connector, refusing unsigned requests with 401 and sending through a configurable API URL."""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Dict, Optional, Text, cast
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_server.channels.customer_channel import CustomerChannel
from bot.rasa_server.channels.customer_text import guarded
from bot.rasa_server.channels.signatures import is_valid_slack_signature
from bot.shared.channel_settings import DEFAULT_SLACK_API_URL, SlackSettings


class SlackInput(CustomerChannel, RasaSlackInput):
    """Slack Events API webhook at `/webhooks/slack/webhook`."""

    channel_name = "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls.from_settings(SlackSettings(**cls.required(credentials)))

    @classmethod
    def from_settings(cls, settings: SlackSettings) -> SlackInput:
        channel = cls(
            settings.bot_token,
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            slack_signing_secret=settings.signing_secret,
        )
        channel.api_url = settings.api_url
        return channel

    api_url: str = DEFAULT_SLACK_API_URL

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        # Rasa's Slack input builds a SlackBot but declares the base class.
        output = cast(SlackBot, super().get_output_channel(channel, thread_id))
        output.client.base_url = self.api_url if self.api_url.endswith("/") else self.api_url + "/"
        return output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = super().blueprint(on_new_message)

        async def refuse_unsigned_or_malformed(request: Request) -> Optional[HTTPResponse]:
            # Rasa's handler answers GET on /webhook too (Slack itself only POSTs); a signed GET with a JSON
            # content type and no body failed in it with a 500, so it gets the same checks as a POST.
            if request.method != "POST" and not (request.method == "GET" and request.path.endswith("/webhook")):
                return None
            if not is_valid_slack_signature(
                self.slack_signing_secret,
                request.body,
                request.headers.get("X-Slack-Request-Timestamp"),
                request.headers.get("X-Slack-Signature"),
            ):
                return response.text("invalid Slack signature", status=401)
            return _malformed_or_handshake(request)

        webhook.middleware(refuse_unsigned_or_malformed, "request")
        return webhook


def _malformed_or_handshake(request: Request) -> Optional[HTTPResponse]:
    """A reply for bodies Rasa's handler would fail on, and for the URL verification handshake."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
    if content_type == "application/json":
        try:
            body = json.loads(request.body or b"")
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
            return response.text("body is not JSON", status=400)
        if not isinstance(body, dict):
            return response.text("not a Slack event", status=400)
        if body.get("type") == "url_verification":
            return response.json({"challenge": str(body.get("challenge", ""))})
        if not isinstance(body.get("event", {}), dict):
            return response.text("not a Slack event", status=400)
        return None
    if content_type == "application/x-www-form-urlencoded":
        payloads = parse_qs((request.body or b"").decode("utf-8", "replace")).get("payload")
        try:
            payload = json.loads(payloads[0]) if payloads else None
        except (ValueError, RecursionError):
            payload = None
        if not _is_well_formed_interaction(payload):
            return response.text("not a Slack interaction", status=400)
        return None
    return response.text("unsupported content type", status=415)


def _is_well_formed_interaction(payload: Any) -> bool:
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), dict):
        return False
    actions = payload.get("actions")
    return isinstance(actions, list) and bool(actions) and isinstance(actions[0], dict) and "type" in actions[0]
