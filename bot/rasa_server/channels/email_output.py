"""Replies sent outside a webhook call (an agent's, during a handoff) as mails in the conversation's thread."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Text

from rasa.core.channels.channel import OutputChannel

from bot.shared.clock import Clock, utc_now
from bot.shared.email.choices import choices_of
from bot.shared.email.replies import ThreadReplies

logger = logging.getLogger(__name__)


class EmailOutput(OutputChannel):
    """One mail per message; the recipient is the conversation, whose thread says where and under what."""

    def __init__(self, replies: ThreadReplies, clock: Clock = utc_now) -> None:
        self._replies = replies
        self._clock = clock

    @classmethod
    def name(cls) -> Text:
        return "email"

    async def _queue(self, conversation_id: str, text: str, choices: List[Dict[str, Any]]) -> None:
        thread = await asyncio.to_thread(self._replies.threads.get, conversation_id)
        if thread is None:
            logger.warning("no e-mail thread for a conversation; the message was not sent")
            return
        await asyncio.to_thread(self._replies.queue, thread, [text], choices, self._clock())

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._queue(recipient_id, text, [])

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._queue(recipient_id, text, choices_of(buttons))

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        # custom payloads are the web widget's (handoff status lines); a mail carries their text only
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            await self._queue(recipient_id, text, [])
