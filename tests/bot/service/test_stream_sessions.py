"""Open streams by token: logout ends exactly that token's streams."""

from __future__ import annotations

from bot.service.stream_sessions import StreamSessions


async def test_ending_a_token_sets_only_its_streams() -> None:
    sessions = StreamSessions()
    first, second, other = sessions.watch("token-a"), sessions.watch("token-a"), sessions.watch("token-b")
    assert sessions.open_count("token-a") == 2
    assert sessions.end("token-a") == 2
    assert first.is_set() and second.is_set() and not other.is_set()
    assert sessions.open_count("token-a") == 0
    assert sessions.end("token-a") == 0


async def test_a_closed_stream_is_forgotten() -> None:
    sessions = StreamSessions()
    ended = sessions.watch("token-a")
    sessions.unwatch("token-a", ended)
    sessions.unwatch("token-a", ended)
    assert sessions.open_count("token-a") == 0
    assert sessions.end("token-a") == 0 and not ended.is_set()
