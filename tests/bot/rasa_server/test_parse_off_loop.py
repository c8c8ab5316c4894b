"""The NLU parse runs on worker threads: the event loop goes on while a message is parsed."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Dict, List

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from bot.rasa_server import parse_off_loop

PARSE_SECONDS = 0.3


class SlowGraph:
    """Stands in for the processor's own state: a graph that takes a while, and what Rasa does after it."""

    http_interpreter = None

    def __init__(self) -> None:
        self.parsed_on: List[str] = []
        self.after_parse: List[str] = []

    def _parse_message_with_graph(self, message: UserMessage, tracker: Any, only_output_properties: bool) -> Dict:
        self.parsed_on.append(threading.current_thread().name)
        time.sleep(PARSE_SECONDS)
        return {"text": message.text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}

    def _update_full_retrieval_intent(self, parse_data: Dict) -> None:
        self.after_parse.append("retrieval intent")

    def _check_for_unseen_features(self, parse_data: Dict) -> None:
        self.after_parse.append("unseen features")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> parse_off_loop.ParseThreads:
    # monkeypatch puts Rasa's own method back after the test
    monkeypatch.setattr(MessageProcessor, "parse_message", MessageProcessor.parse_message)
    return parse_off_loop.install(threads=2)


def test_the_loop_keeps_running_while_messages_are_parsed(installed: parse_off_loop.ParseThreads) -> None:
    processor = SlowGraph()
    ticks: List[float] = []

    async def ticker() -> None:
        for _ in range(10):
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    async def scenario() -> List[Dict]:
        parses = [MessageProcessor.parse_message(processor, UserMessage(text, sender_id=text)) for text in ("a", "b")]
        results = await asyncio.gather(ticker(), *parses)
        return list(results[1:])

    started = time.monotonic()
    results = asyncio.run(scenario())
    elapsed = time.monotonic() - started

    assert [result["text"] for result in results] == ["a", "b"]
    assert all(name.startswith("nlu-parse") for name in processor.parsed_on) and len(processor.parsed_on) == 2
    assert processor.after_parse == ["retrieval intent", "unseen features"] * 2
    # all ten ticks happened during the parses, not after them
    assert ticks[-1] - started < PARSE_SECONDS
    # two threads: the two messages were parsed side by side
    assert elapsed < 2 * PARSE_SECONDS


def test_installing_twice_wraps_rasa_once(installed: parse_off_loop.ParseThreads) -> None:
    first = MessageProcessor.parse_message
    parse_off_loop.install(threads=1)
    assert MessageProcessor.parse_message.__wrapped_parse__ is first.__wrapped_parse__  # type: ignore[attr-defined]


@pytest.mark.parametrize(("value", "threads"), [("", 2), ("1", 1), (" 4 ", 4)])
def test_the_thread_count_comes_from_the_environment(value: str, threads: int) -> None:
    assert parse_off_loop.parse_threads({parse_off_loop.ENVIRONMENT_VARIABLE: value}) == threads
    assert parse_off_loop.parse_threads({}) == parse_off_loop.DEFAULT_THREADS


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_thread_count_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=parse_off_loop.ENVIRONMENT_VARIABLE):
        parse_off_loop.parse_threads({parse_off_loop.ENVIRONMENT_VARIABLE: value})
