"""StoreThreads: the threads an async server runs its blocking store calls on, so its event loop never waits."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from bot.shared.settings import DEFAULT_ACTION_STORE_THREADS

Result = TypeVar("Result")


class StoreThreads:
    """A pool of its own, not the loop's default executor, which other blocking work (DNS look-ups) shares."""

    def __init__(self, size: int = DEFAULT_ACTION_STORE_THREADS) -> None:
        if size < 1:
            raise ValueError("the store needs at least one thread")
        self.size = size
        # Threads start at the first call, not here.
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="store")

    async def run(self, call: Callable[..., Result], *arguments: Any) -> Result:
        """`call(*arguments)` on a store thread, with the caller's context variables (as `asyncio.to_thread`)."""
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        return await loop.run_in_executor(self._executor, functools.partial(context.run, call, *arguments))

    def close(self) -> None:
        """Waits for the calls under way: a change in its transaction is committed or rolled back, never cut."""
        self._executor.shutdown(wait=True)
