"""Splits the turns into conversations: one customer's messages with no pause longer than SESSION_GAP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterable, List, Optional

from bot.service.reports.dataset import SESSION_GAP, TurnRow


@dataclass(frozen=True)
class Conversation:
    conversation_id: str
    start: datetime
    end: datetime
    channel: Optional[str]
    language: str
    turns: List[TurnRow]


def conversations_of(turns: Iterable[TurnRow]) -> List[Conversation]:
    """`turns` ordered by conversation id and time, as the dataset reads them."""
    grouped: Dict[str, List[List[TurnRow]]] = {}
    for turn in turns:
        runs = grouped.setdefault(turn.conversation_id, [])
        if not runs or turn.at - runs[-1][-1].at > SESSION_GAP:
            runs.append([])
        runs[-1].append(turn)
    found = []
    for conversation_id, runs in grouped.items():
        for run in runs:
            channel = next((turn.channel for turn in run if turn.channel), None)
            found.append(Conversation(conversation_id, run[0].at, run[-1].at, channel, run[0].language, run))
    return sorted(found, key=lambda conversation: conversation.start)
