"""Which agents have a chat open or are typing in it, and the waits of widgets for the agent's typing.

Presence lives in this process's memory only: it is seconds old at most, and the live stream that
carries it is served by this process too (the service runs with one worker).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Dict, List, Optional

# a console says "viewing" again every 20 s and "typing" at most every 2 s while keys are pressed
VIEWING_SECONDS = 45.0
TYPING_SECONDS = 6.0

Monotonic = Callable[[], float]


class Activity(str, Enum):
    VIEWING = "viewing"
    TYPING = "typing"
    LEFT = "left"


@dataclass(frozen=True)
class AgentPresence:
    agent_id: int
    display_name: str
    activity: Activity
    viewing_until: float
    typing_until: float
    # only the agent who may write in the chat is shown to the customer as typing
    writes: bool = True


@dataclass(frozen=True)
class AgentTyping:
    """What the customer's widget shows: whether an agent is typing, who, and for how long that holds."""

    typing: bool
    agent: Optional[str]
    holds_for: float


class ChatPresence:
    def __init__(self, monotonic: Monotonic = time.monotonic) -> None:
        self._now = monotonic
        self._by_handoff: Dict[int, Dict[int, AgentPresence]] = {}
        self._conversation_of: Dict[int, str] = {}
        self._waiters: Dict[str, asyncio.Event] = {}

    def report(
        self,
        handoff_id: int,
        conversation_id: str,
        agent_id: int,
        name: str,
        activity: Activity,
        writes: bool = True,
    ) -> bool:
        """Records the agent's activity; True when others should hear of it (it changed)."""
        chat = self._by_handoff.setdefault(handoff_id, {})
        self._conversation_of[handoff_id] = conversation_id
        before = self._current(chat.get(agent_id))
        typing_before = self.agent_typing(conversation_id).typing
        now = self._now()
        if activity is Activity.LEFT:
            chat.pop(agent_id, None)
        else:
            # typing implies viewing; "viewing" ends typing (the console says it after a reply is sent)
            typing_until = now + TYPING_SECONDS if activity is Activity.TYPING else 0.0
            chat[agent_id] = AgentPresence(agent_id, name, activity, now + VIEWING_SECONDS, typing_until, writes)
        if self.agent_typing(conversation_id).typing != typing_before:
            self._wake(conversation_id)
        return (before.activity if before else Activity.LEFT) is not activity

    def present(self, handoff_id: int, except_agent: Optional[int] = None) -> List[AgentPresence]:
        chat = self._by_handoff.get(handoff_id, {})
        current = [self._current(presence) for presence in chat.values()]
        return sorted(
            (presence for presence in current if presence is not None and presence.agent_id != except_agent),
            key=lambda presence: presence.display_name,
        )

    def agent_typing(self, conversation_id: str) -> AgentTyping:
        now = self._now()
        for handoff_id, chat in self._by_handoff.items():
            if self._conversation_of.get(handoff_id) != conversation_id:
                continue
            for presence in chat.values():
                if presence.writes and presence.typing_until > now:
                    return AgentTyping(True, presence.display_name, presence.typing_until - now)
        return AgentTyping(False, None, 0.0)

    async def typing_change(self, conversation_id: str, known: bool, wait_seconds: float) -> AgentTyping:
        """Returns once the agent's typing differs from `known`, or after `wait_seconds` (long polling)."""
        deadline = self._now() + wait_seconds
        while True:
            state = self.agent_typing(conversation_id)
            left = deadline - self._now()
            if state.typing != known or left <= 0:
                return state
            event = self._waiters.setdefault(conversation_id, asyncio.Event())
            timeout = min(left, state.holds_for) if state.typing else left
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=max(timeout, 0.01))

    def _current(self, presence: Optional[AgentPresence]) -> Optional[AgentPresence]:
        """The presence as it stands now: typing that has lapsed is viewing, viewing that has lapsed is gone."""
        now = self._now()
        if presence is None or presence.viewing_until <= now:
            return None
        if presence.activity is Activity.TYPING and presence.typing_until <= now:
            return AgentPresence(
                presence.agent_id, presence.display_name, Activity.VIEWING, presence.viewing_until, 0.0, presence.writes
            )
        return presence

    def _wake(self, conversation_id: str) -> None:
        event = self._waiters.pop(conversation_id, None)
        if event is not None:
            event.set()
