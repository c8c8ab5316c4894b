"""Where the SQL broker's cursor may safely stand when event ids arrive with holes in them.

Ids come from a sequence when a row is inserted, but rows become visible when their transaction
commits: with several Rasa processes writing to PostgreSQL, event 42 may be readable while 41 is not
yet. A cursor moved past 42 would never see 41. So the cursor stops before a young hole and waits
for it to fill; a hole older than the grace period is a rolled-back insert (sequences never reuse
an id) and is stepped over. SQLite writes one transaction at a time and never shows such holes.
"""

from __future__ import annotations

import time
from typing import Callable, Dict, Sequence, Tuple

GAP_GRACE_SECONDS = 10.0


class GapWatch:
    def __init__(self, grace_seconds: float = GAP_GRACE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._grace_seconds = grace_seconds
        self._clock = clock
        # a hole (first and last missing id) and when it was first seen
        self._first_seen: Dict[Tuple[int, int], float] = {}

    def safe_cursor(self, last_id: int, ids: Sequence[int]) -> int:
        """The highest id such that every event up to it has been read (or given up on)."""
        now = self._clock()
        expected = last_id + 1
        for event_id in sorted(ids):
            if event_id > expected:
                hole = (expected, event_id - 1)
                seen = self._first_seen.setdefault(hole, now)
                if now - seen < self._grace_seconds:
                    self._forget_before(expected)
                    return expected - 1
                del self._first_seen[hole]
            expected = max(expected, event_id + 1)
        self._forget_before(expected)
        return expected - 1

    def _forget_before(self, event_id: int) -> None:
        for hole in [hole for hole in self._first_seen if hole[1] < event_id]:
            del self._first_seen[hole]

    @property
    def open_holes(self) -> int:
        return len(self._first_seen)
