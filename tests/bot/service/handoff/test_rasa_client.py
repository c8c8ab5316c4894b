"""The Rasa client: conversation ids in URLs, and every failure toward a real (stand-in) Rasa typed."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import unquote, urlsplit

import aiohttp
import pytest

from bot.service.handoff.errors import (
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
    UpstreamUnreachable,
)
from bot.service.handoff.rasa_client import RasaClient, quote_conversation_id
from tests.support.handoff_fixtures import StandInRasa

CHANNEL_IDS = [
    "whatsapp:+4915112345678",
    "+4915112345678",
    "slack:T123:C456:U789",
    "3f2a9c1e-web-session",
    "name@example.com",
]


@pytest.mark.parametrize("conversation_id", CHANNEL_IDS)
def test_ids_the_channels_use_go_into_the_url_as_they_are(conversation_id: str) -> None:
    # Rasa's Sanic would keep `%2B` and `%3A` escaped and look up a conversation nobody has.
    assert quote_conversation_id(conversation_id) == conversation_id


@pytest.mark.parametrize(
    "conversation_id", ["a/b", "../tracker", "who?me", "tag#1", "two words", "100%", "jürgen", "a\nb"]
)
def test_anything_else_stays_inside_one_path_segment(conversation_id: str) -> None:
    quoted = quote_conversation_id(conversation_id)

    url = urlsplit(f"http://127.0.0.1:5005/conversations/{quoted}/tracker")

    assert url.path.split("/")[2] == quoted
    assert (url.query, url.fragment) == ("", "")
    assert unquote(quoted) == conversation_id


@pytest.fixture
def rasa() -> Iterator[StandInRasa]:
    stand_in = StandInRasa().start()
    yield stand_in
    stand_in.close()


async def test_a_rasa_slower_than_the_timeout_is_an_upstream_timeout_not_a_crash(rasa: StandInRasa) -> None:
    rasa.delay_seconds = 1.5
    async with aiohttp.ClientSession() as session:
        client = RasaClient(rasa.url, session, timeout_seconds=0.3)
        with pytest.raises(UpstreamTimeout) as sending:
            await client.send_bot_message("conv-slow", "are you there?")
        with pytest.raises(UpstreamTimeout):
            await client.tracker("conv-slow")
    # the slow Rasa did store the event: the caller cannot know, so the error says it may have
    assert sending.value.maybe_received is True and not sending.value.permanent
    assert rasa.bot_texts("conv-slow") == ["are you there?"]
    assert "did not answer within 0.3 seconds" in str(sending.value)


async def test_a_rasa_that_is_down_is_unreachable_and_nothing_was_received(rasa: StandInRasa) -> None:
    rasa.stop()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(UpstreamUnreachable) as failure:
            await RasaClient(rasa.url, session, timeout_seconds=1).send_bot_message("conv-down", "hello")
    assert failure.value.maybe_received is False


@pytest.mark.parametrize(
    "status, kind, maybe_received",
    [(400, UpstreamRejected, False), (500, UpstreamUnavailable, True), (401, UpstreamUnavailable, False)],
)
async def test_error_answers_say_whether_a_retry_can_help(
    rasa: StandInRasa, status: int, kind: type, maybe_received: bool
) -> None:
    rasa.fail_status = status
    async with aiohttp.ClientSession() as session:
        with pytest.raises(kind) as failure:
            await RasaClient(rasa.url, session, timeout_seconds=1).resume("conv-x")
    assert type(failure.value) is kind
    assert failure.value.maybe_received is maybe_received
    assert failure.value.permanent is (status == 400)
    assert f"Rasa answered {status}" in str(failure.value)
