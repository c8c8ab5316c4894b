"""StoreThreads: blocking calls run beside each other off the event loop, and closing waits for those under way."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from bot.store.worker_threads import StoreThreads

WAIT_SECONDS = 10
conversation: contextvars.ContextVar[str] = contextvars.ContextVar("conversation", default="none")


async def test_the_loop_keeps_running_while_every_store_thread_waits() -> None:
    threads = StoreThreads(2)
    released = threading.Event()
    try:
        blocked = [asyncio.ensure_future(threads.run(released.wait, WAIT_SECONDS)) for _ in range(2)]
        ticks = 0
        for _ in range(5):
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 5
        assert not any(call.done() for call in blocked)
        released.set()
        assert await asyncio.gather(*blocked) == [True, True]
    finally:
        released.set()
        threads.close()


async def test_calls_run_at_once_up_to_the_number_of_threads() -> None:
    threads = StoreThreads(3)
    all_in = threading.Barrier(3)
    try:
        # each call returns only once all three are running: with fewer threads the barrier breaks
        results = await asyncio.gather(*(threads.run(all_in.wait, WAIT_SECONDS) for _ in range(3)))
    finally:
        threads.close()
    assert sorted(results) == [0, 1, 2]


async def test_a_call_sees_the_context_variables_of_its_caller() -> None:
    threads = StoreThreads(1)
    conversation.set("customer-42")
    try:
        assert await threads.run(conversation.get) == "customer-42"
    finally:
        threads.close()


async def test_closing_waits_for_the_call_under_way() -> None:
    threads = StoreThreads(1)
    finished = threading.Event()

    def slow_change() -> None:
        time.sleep(0.2)
        finished.set()

    call = asyncio.ensure_future(threads.run(slow_change))
    await asyncio.sleep(0.05)
    threads.close()
    assert finished.is_set()
    await call


def test_a_store_needs_a_thread() -> None:
    with pytest.raises(ValueError):
        StoreThreads(0)
