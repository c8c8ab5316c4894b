"""An honest expected wait: recent waits scaled by the queue ahead and the agents online."""

from __future__ import annotations

import math
import statistics
from typing import Optional, Sequence

# before any chat was picked up there is nothing to learn from; assume a short chat per agent
DEFAULT_SECONDS_PER_CHAT = 180.0


def expected_wait_seconds(queue_position: int, agents_online: int, recent_waits: Sequence[float]) -> Optional[int]:
    """None when nobody is online: no wait can be promised then."""
    if agents_online <= 0:
        return None
    typical_wait = statistics.median(recent_waits) if recent_waits else DEFAULT_SECONDS_PER_CHAT
    # recent waits were measured with the queue as it was; scale by how many rounds of agents are ahead
    rounds_ahead = math.ceil(queue_position / agents_online)
    return max(30, int(round(typical_wait * rounds_ahead)))


def describe_wait(seconds: Optional[int]) -> str:
    if seconds is None:
        return "unknown"
    if seconds < 90:
        return "about a minute"
    minutes = int(math.ceil(seconds / 60))
    if minutes < 60:
        return f"about {minutes} minutes"
    hours = minutes / 60
    return f"about {hours:.1f} hours".replace(".0 hours", " hours")
