"""Rasa's reply time per turn, from the broker's event timestamps: a customer's message to the turn's last bot line."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Mapping, Optional

LISTEN_ACTION = "action_listen"
# the bot service appends agents' lines to a paused conversation and ends it with `resume` + `action_listen`:
# a turn open at `resume` was answered by a person, not by Rasa
TURN_BREAKING_EVENTS = frozenset({"resume", "restart", "session_started"})
# turns still open are remembered for this many conversations at most; the oldest is forgotten first
OPEN_TURNS_LIMIT = 10_000


@dataclass
class _OpenTurn:
    message_key: str
    received_at: float
    last_reply_at: Optional[float] = None


@dataclass(frozen=True)
class ReplyTime:
    message_key: str
    received_at: float
    seconds: float


class ReplyLatency:
    """Follows each conversation's events in the order the broker delivers them.

    A turn runs from a customer's `user` event to the `action_listen` after it; its reply time ends at
    the last `bot` event in between. A turn without a bot line (a paused conversation, a silent action)
    has none, and a new customer message before `action_listen` drops the unfinished turn, as `resume` does.
    """

    def __init__(self, open_turns_limit: int = OPEN_TURNS_LIMIT) -> None:
        self._open: OrderedDict[str, _OpenTurn] = OrderedDict()
        self._limit = open_turns_limit

    def take(self, event: Mapping[str, Any], message_key: Optional[str] = None) -> Optional[ReplyTime]:
        """The reply time of the turn this event finishes, if any."""
        sender = event.get("sender_id")
        timestamp = event.get("timestamp")
        if not isinstance(sender, str) or not isinstance(timestamp, (int, float)):
            return None
        kind = event.get("event")
        if kind == "user" and message_key:
            self._open[sender] = _OpenTurn(message_key, float(timestamp))
            self._open.move_to_end(sender)
            while len(self._open) > self._limit:
                self._open.popitem(last=False)
        elif kind == "bot":
            turn = self._open.get(sender)
            if turn is not None:
                turn.last_reply_at = float(timestamp)
        elif kind in TURN_BREAKING_EVENTS:
            self._open.pop(sender, None)
        elif kind == "action" and event.get("name") == LISTEN_ACTION:
            turn = self._open.pop(sender, None)
            if turn is not None and turn.last_reply_at is not None:
                seconds = max(0.0, turn.last_reply_at - turn.received_at)
                return ReplyTime(turn.message_key, turn.received_at, seconds)
        return None
