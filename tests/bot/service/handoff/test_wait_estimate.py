"""The expected wait promised to a queued customer."""

from __future__ import annotations

from bot.service.handoff.wait_estimate import DEFAULT_SECONDS_PER_CHAT, describe_wait, expected_wait_seconds


def test_no_agent_online_means_no_promise() -> None:
    assert expected_wait_seconds(1, 0, [60.0]) is None
    assert describe_wait(None) == "unknown"


def test_wait_grows_with_the_queue_and_shrinks_with_agents() -> None:
    waits = [120.0, 240.0, 180.0]
    assert expected_wait_seconds(1, 1, waits) == 180
    assert expected_wait_seconds(4, 1, waits) == 720
    assert expected_wait_seconds(4, 2, waits) == 360
    assert expected_wait_seconds(1, 1, []) == int(DEFAULT_SECONDS_PER_CHAT)


def test_waits_in_words() -> None:
    assert describe_wait(40) == "about a minute"
    assert describe_wait(600) == "about 10 minutes"
    assert describe_wait(7200) == "about 2 hours"
